export type { BlobOptions } from './blob.js';
export { frameToBlob } from './blob.js';
export {
  FaceLivenessError,
  InvalidInputError,
  isFaceLivenessError,
  ModelFormatError,
  ModelNotFoundError,
} from './errors.js';
export type { Box, Frame } from './frame.js';
export { assertFrame, clipBox, createFrame, cropFrame } from './frame.js';
export type { ImageSource } from './image.js';
export { encodeImage, readImage, writeImage } from './image.js';
export type { ModelEntry } from './model-store.js';
export { defaultStoreDir, ModelStore, sha256File } from './model-store.js';
export { readImageLikeOpenCV } from './opencv-decode.js';
export { resizeBilinear } from './resize.js';
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
