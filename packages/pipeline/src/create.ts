import { InvalidInputError, ModelNotFoundError, ModelStore } from '@face-liveness/core';
import { createFaceDetector, type DetectorChoice } from '@face-liveness/face-detector';
import {
  BlinkDetector,
  originalBlinkCounter,
  predictFromFace,
  resolveShapePredictor,
  ShapePredictor,
} from '@face-liveness/landmarks';
import {
  isEnsembleDir,
  LivenessClassifier,
  LivenessEnsemble,
  resolveLivenessModel,
} from '@face-liveness/livenessnet';
import { checkBehaviour, LivenessPipeline, type PipelineBehaviour } from './pipeline.js';
import type { BlinkDetectorLike, ClassifierLike, FaceDetectorLike, LandmarkerLike } from './types.js';
import { WorkerFaceDetector } from './worker-detector.js';

/**
 * Options of {@link createLivenessPipeline}: every component is loaded from the model store unless
 * given, either as a model path or as a ready object of the component's interface.
 */
export interface LivenessPipelineOptions extends PipelineBehaviour {
  /** A face detector object (anything with `detect(frame)` and `close()`). Default: the project's detector. */
  detector?: FaceDetectorLike;
  /** Model file of the default detector (res10 ONNX or BlazeFace .tflite/.onnx). */
  detectorModel?: string;
  /** Which default detector: `auto` (res10 when installed, else BlazeFace), `res10` or `blazeface`. Default `auto`. */
  detectorType?: DetectorChoice;
  /** A landmark predictor object, or `null` for no landmarks (and no blinks). */
  landmarker?: LandmarkerLike | null;
  /** dlib 68-point `.dat` file. Default: the store's `dlib-shape68`, else Debian's libdlib-data file. */
  landmarkModel?: string;
  /**
   * Factory of a per-face blink counter. Default: the landmarks package's `BlinkDetector` (open-eye
   * baseline, hysteresis, closure time); with `policy: 'original'`, the original project's counter.
   */
  blinkDetector?: () => BlinkDetectorLike;
  /** A classifier object, or several whose scores are averaged. */
  classifier?: ClassifierLike | ClassifierLike[];
  /**
   * LivenessNet to load: a model directory, a Keras .h5 file, or an ensemble directory (holding
   * `frame_size.txt`). Default: `livenessnet` from the store, else the default model bundled with @face-liveness/livenessnet.
   */
  classifierModel?: string;
  /** Refuse a classifier whose input size differs (the original's `-w`/`-he`). */
  inputSize?: { width: number; height: number };
  /** Threads for ONNX Runtime in the detector. Default: the detector's choice. */
  threads?: number;
  /**
   * Run the default detector in a worker thread, so that it works on the next frame while this
   * thread handles the current one's landmarks and crops (both cores busy). Default true.
   */
  detectorThread?: boolean;
  /** Model store. Default: `new ModelStore()` (`$FACE_LIVENESS_HOME` or ~/.cache/face-liveness). */
  store?: ModelStore;
}

/**
 * dlib's predictor as the pipeline's landmarker (the landmarks package's `predictFromFace`). With a
 * detector's keypoints (BlazeFace), the prediction starts from the box where the model's mean eyes,
 * nose and mouth fit them, which fixes the head's pose from the first step; with a box only (res10,
 * or a face carried between detections), from the box mapped onto dlib's detector box (the
 * project's detectors all give res10-like boxes). Either way it is predicted once more from the box
 * the first shape fits, which takes out most of the start's framing (on HELEN, res10 boxes: 1.32x
 * -> 1.11x the error from dlib's own rects).
 * (Starting each frame from the box the previous frame's points fit drifted on turned faces.)
 */
export function shapePredictorLandmarker(predictor: ShapePredictor): LandmarkerLike {
  return {
    predict: (frame, box, keypoints) => predictFromFace(predictor, frame, { box, keypoints }, 'res10'),
    close: async () => {},
  };
}

async function loadClassifiers(
  options: LivenessPipelineOptions,
  store: ModelStore,
): Promise<ClassifierLike[]> {
  if (options.classifier !== undefined) {
    return Array.isArray(options.classifier) ? options.classifier : [options.classifier];
  }
  const path = await resolveLivenessModel(options.classifierModel, store);
  if (isEnsembleDir(path)) return [await LivenessEnsemble.load(path)];
  return [await LivenessClassifier.load(path, { expectInputSize: options.inputSize })];
}

/**
 * Assembles a liveness pipeline: face detector, landmarks and blinks, classifier(s), tracker and
 * fusion policy. Components not given are loaded from the model store; a missing model raises a
 * {@link ModelNotFoundError} that says how to get it.
 *
 * ```ts
 * const pipeline = await createLivenessPipeline({ policy: 'fused' });
 * for await (const result of pipeline.analyzeVideo('clip.mp4')) console.log(result.faces);
 * await pipeline.close();
 * ```
 */
export async function createLivenessPipeline(
  options: LivenessPipelineOptions = {},
): Promise<LivenessPipeline> {
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)) {
    throw new InvalidInputError(`threads must be a positive integer, got ${options.threads}`);
  }
  checkBehaviour(options, options.threshold);
  const store = options.store ?? new ModelStore();
  const opened: { close?(): unknown }[] = [];
  try {
    const classifiers = await loadClassifiers(options, store);
    if (options.classifier === undefined) opened.push(...classifiers);
    const landmarker =
      options.landmarker !== undefined
        ? options.landmarker
        : shapePredictorLandmarker(
            await ShapePredictor.load(await resolveShapePredictor(options.landmarkModel, store)),
          );
    const detectorOptions = {
      detector: options.detectorType,
      model: options.detectorModel,
      threads: options.threads,
    };
    const detector =
      options.detector ??
      (options.detectorThread === false
        ? await createFaceDetector({ ...detectorOptions, store })
        : await WorkerFaceDetector.create({ ...detectorOptions, storeDir: store.dir }));
    const blinkDetector =
      options.blinkDetector ??
      (options.policy === 'original' ? () => originalBlinkCounter() : () => new BlinkDetector());
    return new LivenessPipeline({ detector, landmarker, blinkDetector, classifiers }, options);
  } catch (error) {
    for (const component of opened) await component.close?.();
    throw error;
  }
}
