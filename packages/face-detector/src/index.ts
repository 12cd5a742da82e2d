export type { DetectedFace, FaceDetectorLike } from './types.js';
export { GraphBuilder } from './onnx/graph-builder.js';
export type { AttributeValue } from './onnx/graph-builder.js';
