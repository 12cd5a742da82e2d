import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelFunc, type SumAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { heapF32 } from './call.js';

/** Number of leading axes reduced when `axis` is exactly 0..k-1 (k < rank), else 0. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = util
    .parseAxisParam(
      axis,
      Array.from({ length: rank }, () => 1),
    )
    .sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

/**
 * Sum/Mean over the leading axes (batch and space: every batch-norm and bias gradient) as one pass of row adds.
 * The wasm kernels first transpose the reduced axes to the end, which costs more than the sum itself.
 */
function leadingReduce(original: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    const k = leadingAxes(axis, x.shape.length);
    if (k === 0 || x.dtype !== 'float32') return original(args);
    const backend = args.backend as BackendWasm;
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    const cols = util.sizeFromShape(x.shape.slice(k));
    const acc = new Float64Array(cols);
    const out = backend.makeOutput(
      keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k),
      'float32',
    );
    const xs = heapF32(backend, x);
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) acc[c] += xs[base + c];
    }
    if (mean) for (let c = 0; c < cols; c++) acc[c] /= rows;
    heapF32(backend, out).set(acc);
    return out;
  };
}

export const leadingSum = (original: KernelFunc): KernelFunc => leadingReduce(original, false);
export const leadingMean = (original: KernelFunc): KernelFunc => leadingReduce(original, true);
