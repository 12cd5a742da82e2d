import { describeGuide } from './guide-runner.js';

describeGuide('training', 'installed');
