import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelFunc, type TensorInfo, type TileAttrs, util } from '@tensorflow/tfjs-core';

type Flat = Float32Array | Int32Array | Uint8Array;

/**
 * Tile by block copies: each level writes one copy of its input block, then duplicates the finished block
 * with copyWithin. tfjs's batch-norm gradient tiles its per-channel factor to the full activation shape; the
 * wasm kernel's per-element index arithmetic made that the slowest op of a training step.
 */
export function fastTile(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const backend = args.backend as BackendWasm;
    const x = inputs.x as TensorInfo;
    const { reps } = attrs as unknown as TileAttrs;
    if (x.dtype === 'string' || x.dtype === 'complex64' || x.shape.length === 0) return original(args);
    const shape = x.shape;
    const outShape = shape.map((d, i) => d * reps[i]);
    const out = backend.makeOutput(outShape, x.dtype);
    if (util.sizeFromShape(outShape) === 0) return out;
    const src = backend.typedArrayFromHeap(x) as Flat;
    const dst = backend.typedArrayFromHeap(out) as Flat;
    const xStrides = [...util.computeStrides(shape), 1];
    const outStrides = [...util.computeStrides(outShape), 1];
    const last = shape.length - 1;
    const fill = (level: number, xOffset: number, outOffset: number): void => {
      const n = shape[level];
      if (level === last) dst.set(src.subarray(xOffset, xOffset + n), outOffset);
      else
        for (let i = 0; i < n; i++)
          fill(level + 1, xOffset + i * xStrides[level], outOffset + i * outStrides[level]);
      const block = n * outStrides[level];
      for (let r = 1; r < reps[level]; r++)
        dst.copyWithin(outOffset + r * block, outOffset, outOffset + block);
    };
    fill(0, 0, 0);
    return out;
  };
}
