export type { BlobOptions } from './blob.js';
export { frameToBlob } from './blob.js';
export type { BoxCalibration } from './calibration.js';
export {
  calibrateBox,
  DLIB_FROM_RES10,
  RES10_FROM_BLAZEFACE_FULL,
  RES10_FROM_BLAZEFACE_SHORT,
} from './calibration.js';
export type {
  BlinkDetectorLike,
  BlinkReading,
  ClassifierLike,
  DetectedFace,
  FaceDetectorLike,
  Keypoint,
  LandmarkerLike,
} from './components.js';
export {
  FaceLivenessError,
  InvalidInputError,
  isFaceLivenessError,
  ModelFormatError,
  ModelNotFoundError,
} from './errors.js';
export type { Frame } from './frame.js';
export { assertFrame, createFrame, cropFrame } from './frame.js';
export type { Box, Point } from './geometry.js';
export { boxArea, centroid, clipBox, containedFraction, iou, scaleBox } from './geometry.js';
export type { ImageInfo, ImageSource, ReadImageOptions } from './image.js';
export { decodedSize, encodeImage, probeImage, readImage, writeImage } from './image.js';
export { cameraDevice, IMAGE_EXTENSIONS, isImagePath, isVideoPath, VIDEO_EXTENSIONS } from './media.js';
export type { ImageLimits, VideoLimits } from './media-limits.js';
export {
  checkImageSize,
  checkVideoSize,
  DEFAULT_MAX_PIXELS,
  DEFAULT_MAX_SIDE,
  defaultMaxPixels,
} from './media-limits.js';
export { ModelIntegrityError } from './model-errors.js';
export type { ModelCheck, ModelEntry } from './model-store.js';
export { defaultStoreDir, ModelStore, sha256File } from './model-store.js';
export { prepareOnnxRuntime } from './onnx-runtime.js';
export { readImageLikeOpenCV } from './opencv-decode.js';
export { importOptional } from './optional-dependency.js';
export { resizeBilinear } from './resize.js';
export { createRng, hashSeed, type Rng } from './rng.js';
export { inverseRotation, ROTATIONS, type Rotation, rotateBox, rotateFrame, rotatePoint } from './rotate.js';
export type {
  ReadVideoOptions,
  VideoFrame,
  VideoInfo,
  VideoSource,
  VideoStream,
  WriteVideoOptions,
} from './video.js';
export { findFfmpeg, probeVideo, readVideo, VideoWriter, writeVideo } from './video.js';
export type { Affine } from './warp.js';
export { flipHorizontal, sampleBilinear, warpAffine } from './warp.js';
