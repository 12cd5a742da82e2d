import type { Box, Frame } from '@face-liveness/core';
import type { Decision, TrackEvidence } from './fusion.js';

export type { DetectedFace, FaceDetectorLike } from '@face-liveness/face-detector';

/** A point in pixels of the frame. */
export type Point = [x: number, y: number];

/**
 * What the pipeline needs from a landmark predictor: the 68 points (iBUG 300-W order, as dlib's
 * `shape_predictor_68_face_landmarks`) of a face.
 */
export interface LandmarkerLike {
  /**
   * The points of the face in `box`, a box of the pipeline's face detector; `keypoints` are the
   * detector's keypoints of that face when it gives them (BlazeFace: right eye, left eye, nose tip,
   * mouth, ears) and the face was detected in this frame.
   */
  predict(
    frame: Frame,
    box: Box,
    keypoints?: readonly (readonly [number, number])[],
  ): Point[] | Promise<Point[]>;

  close?(): void | Promise<void>;
}

/** A per-face blink counter, fed with every frame's landmarks of that face. */
export interface BlinkDetectorLike {
  /**
   * Takes one frame's 68 points; returns the blinks counted so far, the eye aspect ratio, and
   * whether a blink could have been seen in this frame (only such time counts against a face that
   * never blinks under the `fused` policy; without it, none does).
   */
  update(landmarks: Point[], timestampMs: number): { blinks: number; ear?: number; observable?: boolean };
}

/** What the pipeline needs from a liveness classifier. */
export interface ClassifierLike {
  /** P(live) in [0, 1] of a face crop (the classifier resizes it to its input size). */
  classify(crop: Frame): { score: number } | Promise<{ score: number }>;
  /** The decision threshold stored with the model: P(live) at or above it means live. Default 0.5. */
  readonly threshold?: number;
  /** Fraction of the face box added on every side before cropping: the framing it was trained on. Default 0. */
  readonly cropMargin?: number;
  close?(): void | Promise<void>;
}

/** A frame with its time, as fed to {@link LivenessPipeline.process}. */
export interface TimedFrame {
  frame: Frame;
  /** Presentation time; default: index * 1000 / fps. */
  timestampMs?: number;
}

/** One face in one frame's result. */
export interface FaceResult {
  /** Track id, stable across frames (1, 2, ...). */
  trackId: number;
  box: Box;
  /** True when the detector found the face in this frame, false when it was carried by tracking. */
  detected: boolean;
  /** Detector confidence of the last detection of this face. */
  detectionScore: number;
  /** This frame's P(live), when the crop was classified. */
  score?: number;
  landmarks?: Point[];
  /** Eye aspect ratio of this frame (mean of both eyes), when landmarks ran. */
  ear?: number;
  /** Verdict of the track after this frame, with its reason. */
  verdict: Decision['verdict'];
  reason: string;
  evidence: TrackEvidence;
}

/** A face the detector found but the pipeline skipped. */
export interface IgnoredFace {
  box: Box;
  score: number;
  reason: string;
}

/** Final state of a track. */
export interface TrackSummary extends TrackEvidence, Decision {
  id: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Mean width and height of the face box, pixels. */
  meanFaceSize: number;
}

/** Time spent per stage on one frame. */
export interface StageTimings {
  detectMs: number;
  landmarksMs: number;
  classifyMs: number;
}

/** The result of one frame. */
export interface FrameResult {
  index: number;
  timestampMs: number;
  width: number;
  height: number;
  faces: FaceResult[];
  /** Faces below `minFaceSize` (not classified, as in the original demo). */
  ignored: IgnoredFace[];
  /** Tracks that ended at this frame (not seen for `maxAgeMs`). */
  ended: TrackSummary[];
  /** Wall time spent on this frame in the pipeline. */
  elapsedMs: number;
  /** Where that time went (wall ms; drawing and video I/O are outside the pipeline). */
  timings: StageTimings;
}
