import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type KernelConfig,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapF32 } from './call.js';

/**
 * Each window's gradient goes to the first maximum in row-major window order, as on tfjs's cpu backend and in
 * TensorFlow. Replaces the wasm kernel, which on ties (common: pooling right after a ReLU) picks another
 * element or drops the gradient altogether.
 */
function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(batchSize * inHeight * inWidth * channels);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  const out = backend.makeOutput(input.shape, 'float32');
  const xs = heapF32(backend, input);
  const dys = heapF32(backend, dy);
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = Math.max(0, yr * strideHeight - top);
      const r1 = Math.min(inHeight, yr * strideHeight - top + filterHeight);
      for (let yc = 0; yc < outWidth; yc++) {
        const c0 = Math.max(0, yc * strideWidth - left);
        const c1 = Math.min(inWidth, yc * strideWidth - left + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) {
            const offset = ((b * inHeight + r) * inWidth + c) * channels;
            for (let d = 0; d < channels; d++) {
              const v = xs[offset + d];
              if (v > best[d]) {
                best[d] = v;
                where[d] = offset + d;
              }
            }
          }
        }
        const dyOffset = ((b * outHeight + yr) * outWidth + yc) * channels;
        for (let d = 0; d < channels; d++) if (where[d] >= 0) acc[where[d]] += dys[dyOffset + d];
      }
    }
  }
  heapF32(backend, out).set(acc);
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
};
