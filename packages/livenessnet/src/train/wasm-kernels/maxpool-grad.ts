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
  const out = backend.makeOutput(input.shape, 'float32');
  const xs = heapF32(backend, input);
  const dys = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  dx.fill(0);
  const rowStride = inWidth * channels;
  let dyOffset = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * rowStride;
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = Math.max(0, yr * strideHeight - top);
      const r1 = Math.min(inHeight, yr * strideHeight - top + filterHeight);
      for (let yc = 0; yc < outWidth; yc++, dyOffset += channels) {
        const c0 = Math.max(0, yc * strideWidth - left);
        const c1 = Math.min(inWidth, yc * strideWidth - left + filterWidth);
        for (let d = 0; d < channels; d++) {
          let best = Number.NEGATIVE_INFINITY;
          let where = -1;
          for (let r = r0; r < r1; r++) {
            let i = image + r * rowStride + c0 * channels + d;
            for (let c = c0; c < c1; c++, i += channels) {
              if (xs[i] > best) {
                best = xs[i];
                where = i;
              }
            }
          }
          if (where >= 0) dx[where] += dys[dyOffset + d];
        }
      }
    }
  }
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
};
