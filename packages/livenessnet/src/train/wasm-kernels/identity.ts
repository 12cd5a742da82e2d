import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { CastAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** The same data under a new reference (a reference count), as tfjs's cpu backend does. */
function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Identity by sharing the data instead of copying it: kernels never write into their inputs, so the copy buys
 * nothing. A training step calls Identity about 200 times (tfjs-layers clones every weight and activation it
 * keeps).
 */
export function sharedIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    return x.dtype === 'string' ? original(args) : share(args.backend as BackendWasm, x);
  };
}

/** Cast to the dtype the tensor already has (every ReLU gradient does one) shares instead of copying. */
export function sharedCast(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { dtype } = args.attrs as unknown as CastAttrs;
    return dtype === x.dtype && dtype !== 'string' ? share(args.backend as BackendWasm, x) : original(args);
  };
}
