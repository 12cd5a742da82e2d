import { describeGuide } from './guide-runner.js';

describeGuide('deployment', 'installed');
