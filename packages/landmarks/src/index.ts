export type { BlinkCounter, BlinkDetectorOptions, BlinkUpdate, OriginalBlinkOptions } from './blink.js';
export { BlinkDetector, originalBlinkCounter } from './blink.js';
export type { DetectorKind } from './box-mapping.js';
export { fromDetectorBox } from './box-mapping.js';
export {
  DEBIAN_SHAPE_PREDICTOR_PATH,
  resolveShapePredictor,
  SHAPE_PREDICTOR_MODEL_NAME,
} from './default-model.js';
export { eyeAspectRatio, eyeAspectRatios, LEFT_EYE, RIGHT_EYE } from './ear.js';
export { boxFromKeypoints, predictFromFace, predictFromKeypoints } from './keypoint-box.js';
export type { Cascade, ShapePredictorModel } from './model.js';
export { parseShapePredictor, serializeShapePredictor } from './model.js';
export type { MouthOpenOptions, MouthUpdate } from './mouth.js';
export { INNER_LIPS, MouthOpenDetector, mouthAspectRatio } from './mouth.js';
export type { HeadPose, HeadPoseFit, PoseCamera } from './pose.js';
export { eulerFromRotation, headPose, rotationFromEuler } from './pose.js';
export type { ShapePredictorLoadOptions } from './shape-predictor.js';
export { ShapePredictor } from './shape-predictor.js';
