import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { FusedBatchNormAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { callKernel, heapF32, Temporaries } from './call.js';

/**
 * Per-channel batch norm as x * a[c] + b[c] with a and b computed once per call (double precision), run as two
 * XNNPACK broadcast ops. The wasm kernel evaluates a square root and a division for every element, which made
 * batch norm cost a third as much as the convolutions at batch 1. Parameters must be per-channel (size = last
 * dim) or scalars; anything else goes to the original kernel, which indexes them cyclically.
 */
export function channelBatchNorm(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    const { varianceEpsilon } = args.attrs as unknown as FusedBatchNormAttrs;
    if (!x || !mean || !variance || x.dtype !== 'float32' || x.shape.length === 0) return original(args);
    const channels = x.shape[x.shape.length - 1];
    const params = [mean, variance, offset, scale];
    const perChannel = params.every((p) => {
      if (!p) return true;
      const size = util.sizeFromShape(p.shape);
      return p.dtype === 'float32' && (size === 1 || size === channels);
    });
    if (!perChannel) return original(args);
    const backend = args.backend as BackendWasm;
    const [m, v, o, s] = params.map((p) => (p ? heapF32(backend, p) : undefined));
    const at = (t: Float32Array | undefined, c: number, fallback: number) =>
      t ? t[t.length === 1 ? 0 : c] : fallback;
    const a = new Float32Array(channels);
    const b = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      a[c] = at(s, c, 1) / Math.sqrt(at(v, c, 0) + varianceEpsilon);
      b[c] = at(o, c, 0) - at(m, c, 0) * a[c];
    }
    const temps = new Temporaries(backend);
    const aInfo = temps.keep(backend.makeOutput([channels], 'float32', undefined, a));
    const bInfo = temps.keep(backend.makeOutput([channels], 'float32', undefined, b));
    const scaled = temps.keep(callKernel(backend, 'Multiply', { a: x, b: aInfo }));
    const out = callKernel(backend, 'Add', { a: scaled, b: bInfo });
    temps.dispose();
    return out;
  };
}
