import type { Box, Frame } from '@face-liveness/core';

/** A face found in a frame. Plain data, safe to serialise. */
export interface DetectedFace {
  /** [x1, y1, x2, y2] in pixels of the input frame, clipped to it. */
  box: Box;
  /** Detector confidence in [0, 1]. */
  score: number;
  /** Optional keypoints in pixels (BlazeFace gives six: eyes, nose, mouth, ears). */
  keypoints?: [number, number][];
}

/**
 * What the pipeline needs from a face detector. `FaceDetector` implements it; users may pass
 * their own object of this shape.
 */
export interface FaceDetectorLike {
  detect(frame: Frame): Promise<DetectedFace[]>;
  close(): Promise<void>;
}
