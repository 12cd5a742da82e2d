import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { BatchMatMulAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, Temporaries } from './call.js';

function swapLastTwo(backend: BackendWasm, temps: Temporaries, t: TensorInfo): TensorInfo {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return temps.keep(callKernel(backend, 'Transpose', { x: t }, { perm }));
}

/**
 * The wasm BatchMatMul uses XNNPACK only without transposes and falls back to a scalar triple loop otherwise;
 * dense-layer gradients always transpose one side. Transposing explicitly first keeps them on XNNPACK.
 */
export function transposeFreeMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const backend = args.backend as BackendWasm;
    const temps = new Temporaries(backend);
    const a = attrs.transposeA ? swapLastTwo(backend, temps, args.inputs.a as TensorInfo) : args.inputs.a;
    const b = attrs.transposeB ? swapLastTwo(backend, temps, args.inputs.b as TensorInfo) : args.inputs.b;
    const out = original({
      ...args,
      inputs: { a, b },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    temps.dispose();
    return out;
  };
}
