import {
  type ClassifierLike,
  type FaceDetectorLike,
  InvalidInputError,
  type LandmarkerLike,
  type ModelStore,
} from '@face-liveness/core';
import type { BlazeFaceRangeChoice, DetectorChoice } from '@face-liveness/face-detector';

/**
 * Load options of {@link createLivenessEngine}: which models to load, and the options each model
 * owns. Every component is loaded from the model store unless given, either as a model path or as
 * a ready object of its core interface. Per-stream behaviour (fusion policy, detection cadence) is
 * not here: it belongs to each session ({@link SessionOptions}).
 */
export interface LivenessEngineOptions {
  /** Your own face detector (it owns its confidence threshold). Default: the project's detector. */
  detector?: FaceDetectorLike;
  /** Which of the project's detectors: `auto` (res10 when installed, else BlazeFace), `res10` or `blazeface`. Default `auto`. */
  detectorKind?: DetectorChoice;
  /**
   * BlazeFace's range when the project's detector is BlazeFace: `short` (faces within ~2 m, the
   * webcam case), `full` (~5 m) or `auto` (short range, and full range too on frames without a near
   * face). Default `short`. res10 ignores it.
   */
  detectorRange?: BlazeFaceRangeChoice;
  /** Model file of the project's detector (res10 ONNX, or BlazeFace .onnx/.tflite). Default: from the store. */
  detectorModel?: string;
  /**
   * Minimum detection score in [0, 1] (the original's `--confidence`), applied by the project's
   * detector itself: faces below it are never returned. Default 0.5.
   */
  minDetectionConfidence?: number;
  /** ONNX Runtime threads of the project's detector. Default: the detector's choice. */
  threads?: number;
  /**
   * Run the project's detector in a worker thread, so that it works on the next frame while this
   * thread handles the current one's landmarks and crops (both cores busy). Default true.
   */
  detectorThread?: boolean;
  /** Your own landmark predictor, or `null` for no landmarks (and so no blinks). */
  landmarker?: LandmarkerLike | null;
  /** dlib 68-point `.dat` file. Default: the store's `dlib-shape68`, else Debian's libdlib-data file. */
  landmarkModel?: string;
  /** Your own classifier, or several: their P(live) are averaged (see {@link LivenessEngine.scoreFace}). */
  classifier?: ClassifierLike | ClassifierLike[];
  /**
   * Classifier(s) to load, by name or path (see `loadClassifier`): `default` (the model bundled with
   * `@face-liveness/livenessnet` and MiniFASNet, their mean P(live) at a threshold chosen on dev for it;
   * the bundled model alone where MiniFASNet's files are missing, see `info.classifier`), `livenessnet`
   * (the store's `livenessnet`, else the bundled model), `minifasnet`, `minifasnet-v2`,
   * `minifasnet-v1se` (`@face-liveness/minifasnet`), or a LivenessNet model directory, Keras .h5 file or
   * ensemble directory (holding `frame_size.txt`). Several are an ensemble: their P(live) are averaged,
   * at the mean of their thresholds. Default `default`.
   */
  classifierModel?: string | readonly string[];
  /** Refuse a classifier whose input size differs (the original's `-w`/`-he`). */
  inputSize?: { width: number; height: number };
  /** Faces narrower or shorter than this many pixels are not analysed (the original's `--face_thresh`). Default 60. */
  minFaceSize?: number;
  /**
   * Margin added around the face box before classifying, as a fraction of its size per side.
   * Default: each classifier's own `cropMargin` (the framing it was trained on), else 0.
   */
  cropMargin?: number;
  /** Model store. Default: `new ModelStore()` (`$FACE_LIVENESS_HOME` or ~/.cache/face-liveness). */
  store?: ModelStore;
}

/** Checks the engine options that are numbers, naming the bad one. */
export function checkEngineOptions(options: LivenessEngineOptions): void {
  const { minDetectionConfidence: c, threads, minFaceSize, cropMargin } = options;
  if (c !== undefined && !(c >= 0 && c <= 1)) {
    throw new InvalidInputError(`minDetectionConfidence must be in [0, 1], got ${c}`);
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
    throw new InvalidInputError(`threads must be a positive integer, got ${threads}`);
  }
  if (minFaceSize !== undefined && !(minFaceSize >= 0)) {
    throw new InvalidInputError(`minFaceSize must be >= 0, got ${minFaceSize}`);
  }
  if (cropMargin !== undefined && !(cropMargin >= 0)) {
    throw new InvalidInputError(`cropMargin must be >= 0, got ${cropMargin}`);
  }
}
