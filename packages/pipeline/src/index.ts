export type { AnnotatorOptions } from './annotate.js';
export { Annotator, faceLabel, pickFontFamily } from './annotate.js';
export type { LivenessPipelineOptions } from './create.js';
export {
  createLivenessPipeline,
  shapePredictorLandmarker,
} from './create.js';
export type {
  Decision,
  FusionOptions,
  FusionPolicy,
  ResolvedFusion,
  TrackEvidence,
  Verdict,
} from './fusion.js';
export { decide, EvidenceAccumulator, FUSION_POLICIES, resolveFusion } from './fusion.js';
export type { PipelineBehaviour, PipelineComponents } from './pipeline.js';
export { LivenessPipeline } from './pipeline.js';
export type { RunOptions, RunProgress, RunSummary } from './run.js';
export { inputVerdict, runPipeline } from './run.js';
export type { MediaInput, MediaStream } from './sources.js';
export { isMediaStream, openMedia } from './sources.js';
export type { Track, TrackerOptions } from './tracker.js';
export { FaceTracker } from './tracker.js';
export type {
  BlinkDetectorLike,
  ClassifierLike,
  DetectedFace,
  FaceDetectorLike,
  FaceResult,
  FrameResult,
  IgnoredFace,
  LandmarkerLike,
  Point,
  StageTimings,
  TimedFrame,
  TrackSummary,
} from './types.js';
export type { DetectorThreadOptions } from './worker-detector.js';
export { WorkerFaceDetector } from './worker-detector.js';
