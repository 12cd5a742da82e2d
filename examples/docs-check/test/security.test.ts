import { describeGuide } from './guide-runner.js';

describeGuide('security', 'installed');
