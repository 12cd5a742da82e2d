import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Identity by sharing the data (a reference count), as tfjs's cpu backend does, instead of copying it: kernels
 * never write into their inputs, so the copy buys nothing. A training step calls Identity about 200 times
 * (tfjs-layers clones every weight and activation it keeps).
 */
export function sharedIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return original(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
