import { describeGuide } from './guide-runner.js';

describeGuide('pipeline', 'installed');
