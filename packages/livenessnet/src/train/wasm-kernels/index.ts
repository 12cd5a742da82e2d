import '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { channelBatchNorm } from './batchnorm.js';
import { tiledBroadcast } from './broadcast.js';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig } from './conv2d-grad.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-grad.js';
import { sharedCast, sharedIdentity } from './identity.js';
import { transposeFreeMatMul } from './matmul.js';
import { maxPoolGradConfig } from './maxpool-grad.js';
import { pooledMean, pooledSum } from './reduce.js';
import { fastTile } from './tile.js';

/** Kernels tfjs-backend-wasm 4.22 lacks: training fails without them. */
const added: KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

/**
 * Existing wasm kernels replaced (Conv2DBackpropInput: a slow scalar loop; MaxPoolGrad: wrong on ties) or
 * wrapped (a fast path for the common case, else the original).
 */
const replaced: KernelConfig[] = [conv2DBackpropInputConfig, maxPoolGradConfig];
const wrapped: Record<string, (original: KernelFunc) => KernelFunc> = {
  Add: tiledBroadcast,
  BatchMatMul: transposeFreeMatMul,
  Cast: sharedCast,
  FusedBatchNorm: channelBatchNorm,
  Identity: sharedIdentity,
  Mean: pooledMean,
  Multiply: tiledBroadcast,
  RealDiv: tiledBroadcast,
  SquaredDifference: tiledBroadcast,
  Sub: tiledBroadcast,
  Sum: pooledSum,
  Tile: fastTile,
};

/** Names of every kernel this package adds to or changes in the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  ...added.map((k) => k.kernelName),
  ...replaced.map((k) => k.kernelName),
  ...Object.keys(wrapped),
];

let registered = false;

function replace(config: KernelConfig, kernelFunc: KernelFunc): void {
  const original = getKernel(config.kernelName, 'wasm');
  if (original) unregisterKernel(config.kernelName, 'wasm');
  // Keep setupFunc: the originals bind their wasm exports there, and the wrappers still call them.
  registerKernel({ ...original, ...config, kernelFunc });
}

/**
 * Adds the training kernels to tfjs's wasm backend (idempotent). Call before or after the backend initialises;
 * `selectTrainingBackend` does it.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [...added, ...replaced]) replace(config, config.kernelFunc);
  for (const [kernelName, wrap] of Object.entries(wrapped)) {
    const original = getKernel(kernelName, 'wasm');
    if (!original)
      throw new Error(`tfjs-backend-wasm has no ${kernelName} kernel to wrap: version mismatch?`);
    replace(original, wrap(original.kernelFunc));
  }
}
