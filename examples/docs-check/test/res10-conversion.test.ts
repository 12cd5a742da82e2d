import { describeGuide } from './guide-runner.js';

describeGuide('res10-conversion', 'installed');
