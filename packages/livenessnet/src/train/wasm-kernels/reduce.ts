import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelFunc, type SumAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { callKernel, heapF32, Temporaries } from './call.js';

/** [before, reduced, after] sizes when `axis` is one contiguous block of axes that excludes the last, else null. */
function middleBlock(shape: number[], axis: number | number[]): [number, number, number] | null {
  const axes = util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  if (axes.length === 0 || axes.some((a, i) => a !== axes[0] + i)) return null;
  const first = axes[0];
  const last = axes[axes.length - 1];
  if (last === shape.length - 1) return null;
  const size = (dims: number[]) => util.sizeFromShape(dims);
  return [size(shape.slice(0, first)), size(shape.slice(first, last + 1)), size(shape.slice(last + 1))];
}

/**
 * Sum/Mean over a block of leading or middle axes (batch and space: every batch-norm and bias gradient, global
 * average pooling) as one XNNPACK average pooling of x viewed as [before, reduced, 1, after]. The wasm kernels
 * first transpose the reduced axes to the end, which made them 15 times slower. Reductions over the last axis,
 * non-float32 data and non-contiguous axes go to the original kernel.
 */
function pooledReduce(original: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    const block = x.dtype === 'float32' ? middleBlock(x.shape, axis) : null;
    if (!block || block[1] < 2) return original(args);
    const [before, reduced, after] = block;
    const backend = args.backend as BackendWasm;
    const temps = new Temporaries(backend);
    const view = temps.keep(callKernel(backend, 'Reshape', { x }, { shape: [before, reduced, 1, after] }));
    const pooled = temps.keep(
      callKernel(backend, 'AvgPool', { x: view }, { filterSize: [reduced, 1], strides: 1, pad: 'valid' }),
    );
    if (!mean) {
      const values = heapF32(backend, pooled);
      for (let i = 0; i < values.length; i++) values[i] *= reduced;
    }
    const axes = util.parseAxisParam(axis, x.shape);
    const outShape = keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    const out = callKernel(backend, 'Reshape', { x: pooled }, { shape: outShape });
    temps.dispose();
    return out;
  };
}

export const pooledSum = (original: KernelFunc): KernelFunc => pooledReduce(original, false);
export const pooledMean = (original: KernelFunc): KernelFunc => pooledReduce(original, true);
