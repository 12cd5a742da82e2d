import type { Frame } from './frame.js';
import type { Box, Point } from './geometry.js';

/*
 * The component interfaces every stage of the project implements, and that users implement to
 * plug in their own detector, landmarker or classifier. Plain objects of these shapes work; every
 * component has one lifecycle: an async factory (`create` / `load`) and an async `close()`.
 */

/** A face keypoint in pixels of the frame. */
export type Keypoint = readonly [x: number, y: number];

/** A face found in a frame. Plain data, safe to serialise. */
export interface DetectedFace {
  /**
   * [x1, y1, x2, y2] in pixels of the input frame, clipped to it, in the res10 box convention
   * (forehead to chin; see `RES10_FROM_BLAZEFACE_SHORT` for how other detectors map onto it).
   */
  box: Box;
  /** Detector confidence in [0, 1]. */
  score: number;
  /** Optional keypoints in pixels (BlazeFace gives six: right eye, left eye, nose tip, mouth, ears). */
  keypoints?: Point[];
}

/** A face detector: the detections of one frame at or above its own confidence threshold. */
export interface FaceDetectorLike {
  detect(frame: Frame): Promise<DetectedFace[]>;
  close(): Promise<void>;
}

/**
 * A landmark predictor: the 68 points (iBUG 300-W order, as dlib's
 * `shape_predictor_68_face_landmarks`) of a face.
 */
export interface LandmarkerLike {
  /**
   * The points of the face in `box` (a detector box); `keypoints` are the detector's keypoints of
   * that face when it gives them and the face was detected in this frame.
   */
  predict(frame: Frame, box: Box, keypoints?: readonly Keypoint[]): Point[] | Promise<Point[]>;
  close(): Promise<void>;
}

/** A liveness classifier of face crops. */
export interface ClassifierLike {
  /** P(live) in [0, 1] of a face crop (the classifier resizes it to its input size). */
  classify(crop: Frame): { score: number } | Promise<{ score: number }>;
  /** The decision threshold stored with the model: P(live) at or above it means live. Default 0.5. */
  readonly threshold?: number;
  /** Fraction of the face box added on every side before cropping: the framing it was trained on. Default 0. */
  readonly cropMargin?: number;
  /**
   * P(live) of the face in `box` of the whole frame, for a classifier that frames the face itself
   * (e.g. MiniFASNet shifts its window inside the frame where a margin crop would be clipped). The
   * engine calls it instead of `classify` unless its own `cropMargin` is forced.
   */
  classifyFace?(frame: Frame, box: Box): { score: number } | Promise<{ score: number }>;
  close(): Promise<void>;
}

/** One frame's reading of a per-face blink counter. */
export interface BlinkReading {
  /** Blinks counted so far. */
  blinks: number;
  /** Eye aspect ratio of this frame. */
  ear?: number;
  /** Whether a blink could have been seen in this frame (open-eye baseline known, face large enough, frames close enough). */
  observable?: boolean;
}

/** A per-face blink counter, fed with every frame's landmarks of that face. Cheap: one per tracked face. */
export interface BlinkDetectorLike {
  update(landmarks: Point[], timestampMs: number): BlinkReading;
}
