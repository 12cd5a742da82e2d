import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InvalidInputError } from '@face-liveness/core';
import { prepareWasm, wasmFeatures, withoutAddedProcessListeners } from './wasm.js';

export type { Predictor } from './predictor.js';
export { compilePredictor } from './predictor.js';

/** Backends in order of preference. `tensorflow` is tfjs-node, used only when installed. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendOptions {
  /** Force a backend; default: `$FACE_LIVENESS_BACKEND`, else the fastest available (tensorflow > wasm > cpu). */
  backend?: BackendName;
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
 * Picks and activates a tfjs backend for inference and returns its name: the forced one (`backend` option,
 * else `$FACE_LIVENESS_BACKEND`), else the first available of tfjs-node ('tensorflow'), wasm (XNNPACK with
 * SIMD) and the pure-JS cpu backend. Print {@link describeBackend} after it. Training on wasm needs more
 * kernels: use `selectTrainingBackend` from `@face-liveness/livenessnet/train` instead.
 *
 * @example
 * const name = await selectBackend();
 * console.log(`backend: ${describeBackend()}`);
 */
export async function selectBackend(options: BackendOptions = {}): Promise<BackendName> {
  const wanted = wantedBackend(options);
  for (const name of wanted ? [wanted] : BACKENDS) {
    if (name === 'tensorflow' && !(await tryTfjsNode())) continue;
    if (name === 'wasm') prepareWasm();
    const ready = await withoutAddedProcessListeners(async () => {
      if (!(await tf.setBackend(name))) return false;
      // The cpu backend's first tensor prints a banner urging tfjs-node (once per process: per test
      // file); describeBackend() already names the backend. In tfjs 4.22, PROD only mutes tfjs's
      // console warnings (log.warn/log.log); IS_TEST would change behaviour too.
      if (name === 'cpu') tf.env().set('PROD', true);
      await tf.ready();
      return true;
    });
    if (ready) return name;
  }
  const hint = wanted === 'tensorflow' ? ': npm install @tensorflow/tfjs-node' : '';
  throw new InvalidInputError(`tfjs backend '${wanted}' is not available${hint}`);
}

/**
 * One line describing the active tfjs backend, e.g. "wasm (SIMD, 1 thread, face-liveness training kernels)"
 * (the kernels named only when `./train` registered them).
 */
export function describeBackend(): string {
  const name = tf.getBackend();
  switch (name) {
    case 'tensorflow':
      return 'tensorflow (tfjs-node, native libtensorflow)';
    case 'wasm':
      // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter of its own: present means the training kernels are.
      return `wasm (${wasmFeatures()}${tf.getKernel('Conv2DBackpropFilter', 'wasm') ? ', face-liveness training kernels' : ''})`;
    case 'cpu':
      return 'cpu (pure JavaScript, slow: about 1 image/s when training)';
    default:
      return name ?? 'none';
  }
}
