import type { Box, Frame, Point, Rotation } from '@face-liveness/core';
import type { HeadPoseFit } from '@face-liveness/landmarks';
import type { Decision, TrackEvidence } from './fusion.js';
import type { FrameQuality, QualityCode } from './quality/assess.js';

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
  /** This frame's P(live), when the crop was classified (also when `gatedBy` kept it out of the track's score). */
  score?: number;
  /** The quality checks this face failed that kept this frame's `score` out of its track's evidence (`qualityGate`). */
  gatedBy?: QualityCode[];
  landmarks?: Point[];
  /** Eye aspect ratio of this frame (mean of both eyes), when landmarks ran. */
  ear?: number;
  /** Head pose of this frame's landmarks (degrees; yaw > 0: turned to the image's right), with the fit's error. */
  pose?: HeadPoseFit;
  /** Mouth aspect ratio of this frame (inner lips), when landmarks ran. */
  mar?: number;
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

/** How frames are turned for the models: `auto` finds the rotation that brings faces upright; a number fixes it. */
export type OrientationMode = 'auto' | Rotation;

/** A pipeline stage that runs on one frame or face. */
export type Stage = 'detect' | 'landmarks' | 'classify';

/**
 * A face (or, at `detect`, a whole frame) left out of one frame's result because a stage failed on
 * its data: the stage's error said the input could not be used (e.g. degenerate keypoints, a crop
 * outside the frame). The stream goes on; the track keeps its earlier evidence.
 */
export interface SkippedFace {
  /** The face's track; absent when the frame's detection failed. */
  trackId?: number;
  stage: Stage;
  /** The stage's error message. */
  reason: string;
}

/** What a session skipped so far (see {@link SkippedFace}). */
export interface SkipSummary {
  /** Frames with at least one skip. */
  frames: number;
  /** Skips per reason, `stage: message` with the message's numbers written `#`. */
  reasons: Record<string, number>;
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
  /** Faces (or the frame's detection) a stage failed on; empty on a normal frame. */
  skipped: SkippedFace[];
  /**
   * How far (degrees clockwise) the frame was turned to bring faces upright for the detector,
   * landmarks and classifier. Boxes and landmarks are always in the coordinates of the frame as given.
   */
  rotation: Rotation;
  /** Whether this frame is fit for a liveness check, per face and for the frame (see `assessFrameQuality`). */
  quality?: FrameQuality;
  /** Wall time spent on this frame in the pipeline. */
  elapsedMs: number;
  /** Where that time went (wall ms; drawing and video I/O are outside the pipeline). */
  timings: StageTimings;
}
