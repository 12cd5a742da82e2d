import { type BackendName, type BackendOptions, selectBackend } from '../backend/index.js';
import { registerWasmTrainingKernels } from './wasm-kernels/index.js';

/**
 * {@link selectBackend} for training: the same choice (forced, else tfjs-node > wasm > cpu), with this
 * package's training kernels added to the wasm backend first (tfjs-backend-wasm 4.22 cannot train
 * without them). Inference never loads these kernels.
 */
export async function selectTrainingBackend(options: BackendOptions = {}): Promise<BackendName> {
  registerWasmTrainingKernels();
  return selectBackend(options);
}
