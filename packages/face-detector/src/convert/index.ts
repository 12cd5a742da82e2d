// The tooling entry (`@face-liveness/face-detector/convert`): model converters and installers.
// It needs the optional peer dependencies protobufjs and onnx-proto (and @mediapipe/face_detection
// for BlazeFace); detection does not load anything from here.
export type { AttributeValue } from '../onnx/graph-builder.js';
export { GraphBuilder } from '../onnx/graph-builder.js';
export type { TfliteModel, TfliteOperator, TfliteTensor } from '../tflite/model.js';
export { parseTflite, readTfliteFile, TensorType, tensorFloats } from '../tflite/model.js';
export { tfliteToOnnx } from '../tflite/to-onnx.js';
export {
  blazeFaceTflitePath,
  blazeFaceToOnnx,
  convertBlazeFace,
  installBlazeFace,
  MEDIAPIPE_PACKAGE,
} from './blazeface.js';
export type { CaffeSources } from './caffe.js';
export { caffeToSsd, convertCaffe } from './caffe.js';
export { calibrationFrames } from './calibration-frames.js';
export { quantizeSsd } from './quantize.js';
export type { Res10ConvertOptions, Res10Files } from './res10-install.js';
export {
  convertRes10Files,
  installRes10,
  RES10_DOWNLOADS,
  RES10_INT8_STORE_FILE,
  RES10_STORE_FILE,
} from './res10-install.js';
export type {
  AffineLayer,
  ConvLayer,
  L2NormLayer,
  Layer,
  MaxPoolLayer,
  OnnxOptions,
  Pads,
  SsdNet,
} from './ssd-net.js';
export { foldAffine, toOnnx } from './ssd-net.js';
export type { TensorflowSources } from './tensorflow.js';
export { convertTensorflow, tensorflowToSsd } from './tensorflow.js';
export type { TextMessage, TextScalar } from './text-format.js';
export { parseTextFormat, TextEnum } from './text-format.js';
