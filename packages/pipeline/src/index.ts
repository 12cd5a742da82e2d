export type { AnalyzeMediaOptions, MediaProgress, MediaSummary } from './analyze-media.js';
export { analyzeMedia } from './analyze-media.js';
export type { AnnotatorOptions } from './annotate.js';
export * from './challenge/index.js';
export type { DefaultClassifier, DefaultClassifierOptions } from './classifiers/default-classifier.js';
export {
  DEFAULT_CLASSIFIER_NAME,
  DEFAULT_ENSEMBLE_THRESHOLD,
  loadDefaultClassifier,
} from './classifiers/default-classifier.js';
export { MeanEnsemble } from './classifiers/mean-ensemble.js';
export { createLivenessEngine, LivenessEngine } from './engine.js';
export type { LivenessEngineOptions } from './engine-options.js';
export type {
  AnalyzeImageOptions,
  EngineComponents,
  EngineDescription,
  EngineInfo,
  FrameFaces,
  SessionHost,
} from './engine-types.js';
export type {
  Decision,
  FusionOptions,
  FusionPolicy,
  ResolvedFusion,
  TrackEvidence,
  Verdict,
} from './fusion.js';
export { decide, EvidenceAccumulator, FUSION_POLICIES, resolveFusion } from './fusion.js';
export { inputVerdict } from './input-verdict.js';
export type { LoadClassifierOptions } from './load.js';
export { loadClassifier, loadClassifiers, shapePredictorLandmarker } from './load.js';
export {
  assessFrameQuality,
  type FaceQuality,
  type FrameQuality,
  QUALITY_DEFAULTS,
  type QualityCheck,
  type QualityCode,
  type QualityFace,
  type QualityOptions,
} from './quality/assess.js';
export { facePose } from './quality/face-pose.js';
export type { QualityGateOption } from './quality/gate.js';
export { GATING_CODES } from './quality/gate.js';
export { LivenessSession } from './session.js';
export type { ResolvedSessionOptions, SessionOptions } from './session-options.js';
export type { MediaInput, MediaStream, OpenMediaOptions } from './sources.js';
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
  OrientationMode,
  Point,
  SkippedFace,
  SkipSummary,
  Stage,
  StageTimings,
  TimedFrame,
  TrackSummary,
} from './types.js';
export type { DetectorThreadOptions } from './worker-detector.js';
export { WorkerFaceDetector } from './worker-detector.js';
