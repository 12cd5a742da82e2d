// `@face-liveness/livenessnet/evaluate`: a model or ensemble scored on a dataset folder, with the
// classification report and the ISO/IEC 30107-3 metrics; the ROC plot needs @napi-rs/canvas (optional).

export type { ClassificationReport } from '../classification-report.js';
export { classificationReport, formatClassificationReport } from '../classification-report.js';
export type { CropSourceOptions, DatasetItem, SkippedImage } from '../dataset.js';
export { listDataset, readFaceCrops } from '../dataset.js';
export type { LineChart, Series } from '../plot.js';
export { renderLineChart, renderRocPlot } from '../plot.js';
export type { EvaluateOptions, EvaluationResult } from './evaluate.js';
export { evaluateModel, writeRocPlot, writeScores } from './evaluate.js';
export type { PadMetrics, ScoredSample } from './pad-metrics.js';
export { attackTypeOf, formatPadMetrics, padMetrics, rocCurve } from './pad-metrics.js';
