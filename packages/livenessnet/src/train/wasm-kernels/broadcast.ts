import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { callKernel, Temporaries } from './call.js';

/** Below this many elements the broadcast costs little and the tile would not pay for itself. */
const MIN_SIZE = 16384;

/**
 * Whether `small` broadcasts over the leading axes of `big` only: its shape, without leading ones, is a
 * suffix of big's shape (a per-channel vector against an activation, the batch-norm and bias pattern).
 */
function broadcastsOverLeadingAxes(small: number[], big: number[]): boolean {
  const trimmed = small.slice(small.findIndex((d) => d !== 1));
  if (small.every((d) => d === 1) || trimmed.length > big.length) return false;
  return trimmed.every((d, i) => d === big[big.length - trimmed.length + i]);
}

/**
 * Binary ops with a per-channel operand against a large activation run 6 times slower on the wasm backend than
 * the same op on equal shapes (XNNPACK then works on rows of a few channels). The small operand is tiled to the
 * full shape first (block copies, about a fifth of the op's time); other shapes go to the original kernel.
 */
export function tiledBroadcast(original: KernelFunc): KernelFunc {
  return (args) => {
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    const sizeA = util.sizeFromShape(a.shape);
    const sizeB = util.sizeFromShape(b.shape);
    const [big, small] = sizeA >= sizeB ? [a, b] : [b, a];
    const bigSize = Math.max(sizeA, sizeB);
    const smallSize = Math.min(sizeA, sizeB);
    if (
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      bigSize < MIN_SIZE ||
      smallSize * 16 > bigSize ||
      !broadcastsOverLeadingAxes(small.shape, big.shape)
    ) {
      return original(args);
    }
    const backend = args.backend as BackendWasm;
    const temps = new Temporaries(backend);
    const trailing = small.shape.slice(small.shape.findIndex((d) => d !== 1));
    const lead = big.shape.length - trailing.length;
    const ranked = temps.keep(
      callKernel(
        backend,
        'Reshape',
        { x: small },
        { shape: [...big.shape.slice(0, lead).map(() => 1), ...trailing] },
      ),
    );
    const reps = big.shape.map((d, i) => (i < lead ? d : 1));
    const tiled = temps.keep(callKernel(backend, 'Tile', { x: ranked }, { reps }));
    const inputs = small === a ? { a: tiled, b } : { a, b: tiled };
    const out = original({ ...args, inputs }) as TensorInfo;
    temps.dispose();
    return out;
  };
}
