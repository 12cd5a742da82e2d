// The runtime entry: detection only. Converters live in `./convert/index.ts`
// (`@face-liveness/face-detector/convert`); nothing here may import them statically.
export type { DetectedFace, FaceDetectorLike } from '@face-liveness/core';
export type { Anchor, SsdAnchorOptions } from './blazeface/anchors.js';
export type { BlazeFaceAutoRangeOptions } from './blazeface/auto-range.js';
export { BlazeFaceAutoRange, SHORT_RANGE_RELIABLE_FACE } from './blazeface/auto-range.js';
export type { BlazeFaceDecodeOptions } from './blazeface/decode.js';
export type { BlazeFaceOptions } from './blazeface/detector.js';
export { BlazeFaceDetector } from './blazeface/detector.js';
export { shippedBlazeFacePath } from './blazeface/model.js';
export type { BlazeFaceRange, BlazeFaceVariant } from './blazeface/variants.js';
export { BLAZEFACE_VARIANTS } from './blazeface/variants.js';
export type { FaceDetectorOptions } from './face-detector.js';
export {
  FaceDetector,
  RES10_INSTALL_HINT,
  RES10_INT8_MODEL_NAME,
  RES10_MODEL_NAME,
} from './face-detector.js';
export type { DecodeOptions, RawDetection } from './res10/decode.js';
export { decodeDetections } from './res10/decode.js';
export type { Res10Resize } from './res10/letterbox.js';
export { letterboxInput, RES10_RESIZES } from './res10/letterbox.js';
export type { InputPlacement } from './res10/preprocess.js';
export { res10Input } from './res10/preprocess.js';
export type { DetectionOutputSpec, PriorBoxSpec } from './res10/spec.js';
export type {
  BlazeFaceRangeChoice,
  CreateFaceDetectorOptions,
  DetectorChoice,
  DetectorName,
  SelectedFaceDetector,
} from './select.js';
export { BLAZEFACE_RANGE_CHOICES, createFaceDetector, DETECTOR_NAMES, dropPartFaces } from './select.js';
