export { selectBackend } from './backend/index.js';
export type { BackendName, BackendOptions } from './backend/index.js';
