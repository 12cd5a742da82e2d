import { describeGuide } from './guide-runner.js';

describeGuide('getting-started', 'empty');
