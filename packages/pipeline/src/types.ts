import type { Box, Frame, Point } from '@face-liveness/core';
import type { Decision, TrackEvidence } from './fusion.js';

export type {
  BlinkDetectorLike,
  ClassifierLike,
  DetectedFace,
  FaceDetectorLike,
  LandmarkerLike,
  Point,
} from '@face-liveness/core';

/** A frame with its time, as fed to {@link LivenessSession.stream}. */
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
