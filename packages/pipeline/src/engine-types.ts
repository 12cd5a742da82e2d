import type {
  Box,
  ClassifierLike,
  DetectedFace,
  FaceDetectorLike,
  Frame,
  Keypoint,
  LandmarkerLike,
  Point,
} from '@face-liveness/core';
import type { QualityGateOption } from './quality/gate.js';
import type { IgnoredFace, OrientationMode } from './types.js';

/** The components an engine runs, loaded or given. */
export interface EngineComponents {
  detector: FaceDetectorLike;
  /** `null` turns landmarks (and so blinks) off. */
  landmarker: LandmarkerLike | null;
  /** One or more classifiers; their P(live) are averaged. */
  classifiers: ClassifierLike[];
}

/** What an engine says about the components it loaded, for logs and `--verbose` output. */
export interface EngineInfo extends EngineDescription {
  landmarks: boolean;
  classifiers: number;
  /** The decision threshold on P(live): the mean of the classifiers' own thresholds (one for the default ensemble). */
  threshold: number;
}

/** Which models an engine runs and why: what `createLivenessEngine` chose, `custom` for components given. */
export interface EngineDescription {
  /** The face detector in use (`res10`, `blazeface`, or `custom`) and why it was chosen. */
  detector: { name: string; reason: string };
  /**
   * The classifier in use: `livenessnet+minifasnet` (the default), `livenessnet` (the default where
   * MiniFASNet's files are missing), the names `classifierModel` gave joined by `+`, or `custom`; and why.
   */
  classifier: { name: string; reason: string };
}

/** One frame's usable faces, the ones left out (with why), and the detection time. */
export interface FrameFaces {
  faces: DetectedFace[];
  ignored: IgnoredFace[];
  ms: number;
}

/** Options of {@link LivenessEngine.analyzeImage}. */
export interface AnalyzeImageOptions {
  /** P(live) at or above which a face is live. Default: the engine's `threshold`. */
  threshold?: number;
  /**
   * How far (degrees clockwise) to turn the image so that faces are upright: `auto` (default) tries
   * all four rotations and keeps the one whose best face scores highest (three more detections);
   * a number fixes it.
   */
  orientation?: OrientationMode;
  /**
   * Judge a face that fails a gating quality check (too small, blurry, too dark or bright, clipped,
   * turned, tilted, unsure landmarks) `undecided`, with what to fix, instead of on its score. Default
   * off; `true` uses the default limits, an object sets them (see `SessionOptions.qualityGate`).
   */
  qualityGate?: QualityGateOption;
}

/**
 * What a session needs of its engine (implemented by `LivenessEngine`): the per-face stages, the
 * default threshold, and whether it is still open.
 */
export interface SessionHost {
  readonly info: EngineInfo;
  readonly threshold: number;
  assertOpen(): void;
  detectFaces(frame: Frame): Promise<FrameFaces>;
  landmarks(frame: Frame, box: Box, keypoints?: readonly Keypoint[]): Promise<Point[] | undefined>;
  scoreFace(frame: Frame, box: Box): Promise<number>;
}
