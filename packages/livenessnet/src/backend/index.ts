import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InvalidInputError } from '@face-liveness/core';

/** Backends in order of preference. `tensorflow` is tfjs-node, used only when installed. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendOptions {
  /** Force a backend; default: `$FACE_LIVENESS_BACKEND`, else the fastest available. */
  backend?: BackendName;
  /** Whether gradients are needed (training); some backends only run inference. Default false. */
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

/**
 * Picks and activates a tfjs backend: tfjs-node when installed, else cpu. Returns its name.
 */
export async function selectBackend(options: BackendOptions = {}): Promise<BackendName> {
  const wanted = options.backend ?? (process.env.FACE_LIVENESS_BACKEND as BackendName | undefined);
  const order: BackendName[] = wanted ? [wanted] : ['tensorflow', 'cpu'];
  for (const name of order) {
    if (name === 'tensorflow' && !(await tryTfjsNode())) continue;
    if (name !== 'tensorflow' && name !== 'cpu' && name !== 'wasm') {
      throw new InvalidInputError(`unknown backend '${name}': use tensorflow, wasm or cpu (FACE_LIVENESS_BACKEND)`);
    }
    if (await tf.setBackend(name)) {
      await tf.ready();
      return name;
    }
  }
  throw new InvalidInputError(
    `tfjs backend '${wanted}' is not available${wanted === 'tensorflow' ? ': npm install @tensorflow/tfjs-node' : ''}`,
  );
}
