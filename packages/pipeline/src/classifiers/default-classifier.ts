import { type ClassifierLike, ModelNotFoundError, ModelStore } from '@face-liveness/core';
import {
  type BackendName,
  BUNDLED_MODEL_DIR,
  LIVENESS_MODEL_NAME,
  LivenessClassifier,
  resolveLivenessModel,
} from '@face-liveness/livenessnet';
import { MiniFasNetClassifier } from '@face-liveness/minifasnet';
import { MeanEnsemble } from './mean-ensemble.js';

/** The name of the default classifier (`classifierModel`, the CLI's `-m`); also what no name means. */
export const DEFAULT_CLASSIFIER_NAME = 'default';

/**
 * The threshold on the default ensemble's mean P(live): its pooled dev equal-error point in the selection
 * protocol (packages/livenessnet/experiments, recipe ds80-c27-kd+minifasnet, the bundled model's seed),
 * chosen before validation was scored. It belongs to the bundled LivenessNet model: another model in the
 * ensemble needs its own.
 */
export const DEFAULT_ENSEMBLE_THRESHOLD = 0.460593;

/** A loaded default classifier, what it is and why. */
export interface DefaultClassifier {
  classifier: ClassifierLike;
  /** `livenessnet+minifasnet`, or `livenessnet` (a model installed in the store, or MiniFASNet missing). */
  name: string;
  reason: string;
}

/** Options of {@link loadDefaultClassifier}. */
export interface DefaultClassifierOptions {
  /** Where an installed `livenessnet` is looked for; default `new ModelStore()`. */
  store?: ModelStore;
  /** Refuse a LivenessNet model of another input size. */
  inputSize?: { width: number; height: number };
  /** tfjs backend of the LivenessNet model; default the fastest available. */
  backend?: BackendName;
}

/**
 * The default passive classifier: the LivenessNet model bundled with `@face-liveness/livenessnet` and
 * MiniFASNet (`@face-liveness/minifasnet`, whose published package carries its models), the mean of their
 * P(live) against {@link DEFAULT_ENSEMBLE_THRESHOLD}. A `livenessnet` you installed in the store replaces it
 * (alone, at its own threshold: the ensemble's threshold belongs to the bundled model). Where MiniFASNet's
 * files are not found (a repository checkout without them), the bundled LivenessNet alone at its own
 * threshold. `reason` says which and why.
 */
export async function loadDefaultClassifier(
  options: DefaultClassifierOptions = {},
): Promise<DefaultClassifier> {
  const { store = new ModelStore(), inputSize, backend } = options;
  const load = (path: string) => LivenessClassifier.load(path, { expectInputSize: inputSize, backend });
  const path = await resolveLivenessModel(undefined, store);
  if (path !== BUNDLED_MODEL_DIR) {
    return {
      classifier: await load(path),
      name: LIVENESS_MODEL_NAME,
      reason: `the livenessnet installed in the model store (${path}) replaces the default`,
    };
  }
  const [ours, peer] = await Promise.allSettled([
    load(BUNDLED_MODEL_DIR),
    MiniFasNetClassifier.load('minifasnet'),
  ]);
  if (ours.status === 'rejected') {
    if (peer.status === 'fulfilled') await peer.value.close();
    throw ours.reason;
  }
  if (peer.status === 'fulfilled') {
    return {
      classifier: new MeanEnsemble([ours.value, peer.value], DEFAULT_ENSEMBLE_THRESHOLD),
      name: 'livenessnet+minifasnet',
      reason: 'the default: the bundled LivenessNet and MiniFASNet, mean P(live)',
    };
  }
  if (!(peer.reason instanceof ModelNotFoundError)) {
    await ours.value.close();
    throw peer.reason;
  }
  return {
    classifier: ours.value,
    name: LIVENESS_MODEL_NAME,
    reason: `the bundled LivenessNet alone, since MiniFASNet is missing (${peer.reason.message})`,
  };
}
