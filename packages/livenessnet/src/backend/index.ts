import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InvalidInputError } from '@face-liveness/core';
import { prepareWasm, wasmFeatures } from './wasm.js';

export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './kernels/index.js';
export type { Predictor } from './predictor.js';
export { compilePredictor } from './predictor.js';

/** Backends in order of preference. `tensorflow` is tfjs-node, used only when installed. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendOptions {
  /** Force a backend; default: `$FACE_LIVENESS_BACKEND`, else the fastest available (tensorflow > wasm > cpu). */
  backend?: BackendName;
  /**
   * Whether gradients are needed (training). All three backends train (wasm with this package's kernels), so
   * this does not change the choice today; it documents intent for callers. Default false.
   */
  training?: boolean;
}

async function tryTfjsNode(): Promise<boolean> {
  try {
    // Optional peer dependency: registers the 'tensorflow' backend when installed.
    await import('@tensorflow/tfjs-node' as string);
    return tf.findBackend('tensorflow') !== null;
  } catch {
    return false;
  }
}

function wantedBackend(options: BackendOptions): BackendName | undefined {
  const fromEnv = process.env.FACE_LIVENESS_BACKEND?.trim();
  const wanted = options.backend ?? (fromEnv === '' ? undefined : fromEnv);
  if (wanted === undefined) return undefined;
  if (!(BACKENDS as readonly string[]).includes(wanted)) {
    const source = options.backend !== undefined ? 'backend option' : 'FACE_LIVENESS_BACKEND';
    throw new InvalidInputError(
      `unknown tfjs backend '${wanted}' (${source}): use one of ${BACKENDS.join(', ')}`,
    );
  }
  return wanted as BackendName;
}

/**
 * Picks and activates a tfjs backend and returns its name: the forced one (`backend` option, else
 * `$FACE_LIVENESS_BACKEND`), else the first available of tfjs-node ('tensorflow'), wasm (XNNPACK with SIMD plus
 * this package's training kernels) and the pure-JS cpu backend. Print {@link describeBackend} after it.
 *
 * @example
 * const name = await selectBackend({ training: true });
 * console.log(`backend: ${describeBackend()}`);
 */
export async function selectBackend(options: BackendOptions = {}): Promise<BackendName> {
  const wanted = wantedBackend(options);
  for (const name of wanted ? [wanted] : BACKENDS) {
    if (name === 'tensorflow' && !(await tryTfjsNode())) continue;
    if (name === 'wasm') prepareWasm();
    if (await tf.setBackend(name)) {
      await tf.ready();
      return name;
    }
  }
  const hint = wanted === 'tensorflow' ? ': npm install @tensorflow/tfjs-node' : '';
  throw new InvalidInputError(`tfjs backend '${wanted}' is not available${hint}`);
}

/**
 * One line describing the active tfjs backend, e.g. "wasm (SIMD, 1 thread, face-liveness training kernels)".
 */
export function describeBackend(): string {
  const name = tf.getBackend();
  switch (name) {
    case 'tensorflow':
      return 'tensorflow (tfjs-node, native libtensorflow)';
    case 'wasm':
      return `wasm (${wasmFeatures()}, face-liveness training kernels)`;
    case 'cpu':
      return 'cpu (pure JavaScript, slow: about 1 image/s when training)';
    default:
      return name ?? 'none';
  }
}
