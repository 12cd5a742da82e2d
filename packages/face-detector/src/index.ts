export type { Anchor, SsdAnchorOptions } from './blazeface/anchors.js';
export type { BlazeFaceDecodeOptions } from './blazeface/decode.js';
export type { BlazeFaceOptions } from './blazeface/detector.js';
export { BlazeFaceDetector } from './blazeface/detector.js';
export {
  BLAZEFACE_MODEL_NAME,
  bundledBlazeFacePath,
  convertBlazeFace,
  installBlazeFace,
} from './blazeface/model.js';
export type { BlazeFaceRange, BlazeFaceVariant } from './blazeface/variants.js';
export { BLAZEFACE_VARIANTS } from './blazeface/variants.js';
export type { CaffeSources } from './convert/caffe.js';
export { caffeToSsd, convertCaffe } from './convert/caffe.js';
export { quantizeSsd } from './convert/quantize.js';
export type {
  AffineLayer,
  ConvLayer,
  DetectionOutputSpec,
  L2NormLayer,
  Layer,
  MaxPoolLayer,
  OnnxOptions,
  Pads,
  PriorBoxSpec,
  SsdNet,
} from './convert/ssd-net.js';
export { foldAffine, toOnnx } from './convert/ssd-net.js';
export type { TensorflowSources } from './convert/tensorflow.js';
export { convertTensorflow, tensorflowToSsd } from './convert/tensorflow.js';
export type { TextMessage, TextScalar } from './convert/text-format.js';
export { parseTextFormat, TextEnum } from './convert/text-format.js';
export type { FaceDetectorOptions } from './face-detector.js';
export {
  FaceDetector,
  RES10_INSTALL_HINT,
  RES10_INT8_MODEL_NAME,
  RES10_MODEL_NAME,
} from './face-detector.js';
export type { AttributeValue } from './onnx/graph-builder.js';
export { GraphBuilder } from './onnx/graph-builder.js';
export type { DecodeOptions, RawDetection } from './res10/decode.js';
export { decodeDetections } from './res10/decode.js';
export type { Res10ConvertOptions, Res10Files } from './res10/install.js';
export {
  calibrationFrames,
  convertRes10Files,
  installRes10,
  RES10_DOWNLOADS,
  RES10_INT8_STORE_FILE,
  RES10_STORE_FILE,
} from './res10/install.js';
export { res10Input } from './res10/preprocess.js';
export type { CreateFaceDetectorOptions, DetectorChoice, SelectedFaceDetector } from './select.js';
export { createFaceDetector } from './select.js';
export type { TfliteModel, TfliteOperator, TfliteTensor } from './tflite/model.js';
export { parseTflite, readTfliteFile, TensorType, tensorFloats } from './tflite/model.js';
export { tfliteToOnnx } from './tflite/to-onnx.js';
export type { DetectedFace, FaceDetectorLike } from './types.js';
