export type { Cascade, ShapePredictorModel } from './model.js';
export { parseShapePredictor, serializeShapePredictor } from './model.js';
export type { Point } from './shape-predictor.js';
export { ShapePredictor } from './shape-predictor.js';
