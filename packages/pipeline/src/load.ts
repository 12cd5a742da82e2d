import {
  type ClassifierLike,
  type FaceDetectorLike,
  InvalidInputError,
  type LandmarkerLike,
  ModelStore,
} from '@face-liveness/core';
import { createFaceDetector } from '@face-liveness/face-detector';
import { predictFromFace, resolveShapePredictor, ShapePredictor } from '@face-liveness/landmarks';
import {
  type BackendName,
  isEnsembleDir,
  LIVENESS_MODEL_NAME,
  LivenessClassifier,
  LivenessEnsemble,
  resolveLivenessModel,
} from '@face-liveness/livenessnet';
import { isMiniFasNetName, MiniFasNetClassifier } from '@face-liveness/minifasnet';
import { DEFAULT_CLASSIFIER_NAME, loadDefaultClassifier } from './classifiers/default-classifier.js';
import type { LivenessEngineOptions } from './engine-options.js';
import type { EngineComponents, EngineDescription } from './engine-types.js';
import { WorkerFaceDetector } from './worker-detector.js';

/**
 * dlib's predictor as the engine's landmarker (the landmarks package's `predictFromFace`). With a
 * detector's keypoints (BlazeFace), the prediction starts from the box where the model's mean eyes,
 * nose and mouth fit them, which fixes the head's pose from the first step; with a box only (res10,
 * or a face carried between detections), from the box mapped onto dlib's detector box (every
 * detector's boxes are in the res10 convention). Either way it is predicted once more from the box
 * the first shape fits, which takes out most of the start's framing (on HELEN, res10 boxes: 1.32x
 * -> 1.11x the error from dlib's own rects).
 * (Starting each frame from the box the previous frame's points fit drifted on turned faces.)
 */
export function shapePredictorLandmarker(predictor: ShapePredictor): LandmarkerLike {
  return {
    predict: (frame, box, keypoints) => predictFromFace(predictor, frame, { box, keypoints }, 'res10'),
    close: () => predictor.close(),
  };
}

/** Options of {@link loadClassifier} and {@link loadClassifiers}. */
export interface LoadClassifierOptions {
  /** Where `livenessnet` and the detector-free names are looked up; default `new ModelStore()`. */
  store?: ModelStore;
  /** Refuse a LivenessNet model of another input size. */
  inputSize?: { width: number; height: number };
  /** tfjs backend of LivenessNet models; default the fastest available. */
  backend?: BackendName;
}

/**
 * One classifier by name or path: `default` or none (the bundled LivenessNet and MiniFASNet, see
 * {@link loadDefaultClassifier}), `livenessnet` (the store's, else the bundled model), a MiniFASNet name
 * (`minifasnet`, `minifasnet-v2`, `minifasnet-v1se`), else a LivenessNet model directory, Keras .h5 or
 * ensemble directory. Names win over same-named paths (write `./minifasnet`).
 */
export async function loadClassifier(
  nameOrPath: string | undefined,
  options: LoadClassifierOptions = {},
): Promise<ClassifierLike> {
  const { store = new ModelStore(), inputSize, backend } = options;
  if (nameOrPath === undefined || nameOrPath === DEFAULT_CLASSIFIER_NAME) {
    return (await loadDefaultClassifier({ store, inputSize, backend })).classifier;
  }
  if (isMiniFasNetName(nameOrPath)) return MiniFasNetClassifier.load(nameOrPath);
  const path = await resolveLivenessModel(nameOrPath === LIVENESS_MODEL_NAME ? undefined : nameOrPath, store);
  if (isEnsembleDir(path)) return LivenessEnsemble.load(path, { backend });
  return LivenessClassifier.load(path, { expectInputSize: inputSize, backend });
}

/**
 * The classifiers `names` name (see {@link loadClassifier}; none: the default classifier), loaded
 * in parallel; when one fails, those loaded are closed and its error is thrown.
 */
export async function loadClassifiers(
  names: string | readonly string[] | undefined,
  options: LoadClassifierOptions = {},
): Promise<ClassifierLike[]> {
  const list = typeof names === 'string' ? [names] : names;
  if (!list) return [await loadClassifier(undefined, options)];
  if (list.length === 0) throw new InvalidInputError('classifierModel names no classifier');
  if (list.length > 1 && list.includes(DEFAULT_CLASSIFIER_NAME)) {
    throw new InvalidInputError(
      `'${DEFAULT_CLASSIFIER_NAME}' is an ensemble with its own threshold: name it alone, or name its parts (livenessnet, minifasnet)`,
    );
  }
  const loaded = await Promise.allSettled(list.map((n) => loadClassifier(n, options)));
  const failed = loaded.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return loaded.map((r) => (r as PromiseFulfilledResult<ClassifierLike>).value);
  await Promise.all(loaded.map((r) => r.status === 'fulfilled' && r.value.close()));
  throw failed.reason;
}

async function loadLandmarker(
  options: LivenessEngineOptions,
  store: ModelStore,
): Promise<LandmarkerLike | null> {
  if (options.landmarker !== undefined) return options.landmarker;
  const path = await resolveShapePredictor(options.landmarkModel, store);
  return shapePredictorLandmarker(await ShapePredictor.load(path, { store }));
}

/** The classifiers the options give or name, what they are and why. */
async function loadClassifierChoice(
  options: LivenessEngineOptions,
  store: ModelStore,
): Promise<{ classifiers: ClassifierLike[]; name: string; reason: string }> {
  if (options.classifier !== undefined) {
    return { classifiers: [options.classifier].flat(), name: 'custom', reason: 'given as an option' };
  }
  const names = [options.classifierModel ?? DEFAULT_CLASSIFIER_NAME].flat();
  if (names.length === 1 && names[0] === DEFAULT_CLASSIFIER_NAME) {
    const chosen = await loadDefaultClassifier({ store, inputSize: options.inputSize });
    return { classifiers: [chosen.classifier], name: chosen.name, reason: chosen.reason };
  }
  const classifiers = await loadClassifiers(names, { store, inputSize: options.inputSize });
  return { classifiers, name: names.join('+'), reason: 'named by classifierModel' };
}

async function loadDetector(
  options: LivenessEngineOptions,
  store: ModelStore,
): Promise<{ detector: FaceDetectorLike; name: string; reason: string }> {
  if (options.detector) return { detector: options.detector, name: 'custom', reason: 'given as an option' };
  const detectorOptions = {
    detector: options.detectorKind,
    range: options.detectorRange,
    model: options.detectorModel,
    confidence: options.minDetectionConfidence,
    threads: options.threads,
  };
  const detector =
    options.detectorThread === false
      ? await createFaceDetector({ ...detectorOptions, store })
      : await WorkerFaceDetector.create({ ...detectorOptions, storeDir: store.dir });
  return { detector, name: detector.name, reason: detector.reason };
}

/**
 * Loads what the options do not give, the three kinds in parallel. When one fails, those already
 * loaded are closed (components the caller gave are left alone) and the first error is thrown.
 */
export async function loadComponents(
  options: LivenessEngineOptions,
): Promise<{ components: EngineComponents; described: EngineDescription }> {
  const store = options.store ?? new ModelStore();
  const [detector, landmarker, classifiers] = await Promise.allSettled([
    loadDetector(options, store),
    loadLandmarker(options, store),
    loadClassifierChoice(options, store),
  ]);
  if (
    detector.status === 'fulfilled' &&
    landmarker.status === 'fulfilled' &&
    classifiers.status === 'fulfilled'
  ) {
    return {
      components: {
        detector: detector.value.detector,
        landmarker: landmarker.value,
        classifiers: classifiers.value.classifiers,
      },
      described: {
        detector: { name: detector.value.name, reason: detector.value.reason },
        classifier: { name: classifiers.value.name, reason: classifiers.value.reason },
      },
    };
  }
  const loaded: { close(): Promise<void> }[] = [];
  if (detector.status === 'fulfilled' && !options.detector) loaded.push(detector.value.detector);
  if (landmarker.status === 'fulfilled' && landmarker.value && options.landmarker === undefined) {
    loaded.push(landmarker.value);
  }
  if (classifiers.status === 'fulfilled' && options.classifier === undefined)
    loaded.push(...classifiers.value.classifiers);
  await Promise.all(loaded.map((c) => c.close()));
  const failed = [detector, landmarker, classifiers].find(
    (r) => r.status === 'rejected',
  ) as PromiseRejectedResult;
  throw failed.reason;
}
