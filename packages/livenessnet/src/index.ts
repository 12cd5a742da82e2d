export type { ArchitectureBuilder, ArchitectureOptions, LivenessNetOptions } from './architectures.js';
export {
  architectures,
  buildArchitecture,
  buildLivenessNet,
  DEFAULT_ARCHITECTURE,
  glorotInitializers,
} from './architectures.js';
export type { AugmentOptions, KerasTransform } from './augment.js';
export { applyKerasTransform, randomAugment } from './augment.js';
export type { BackendName, BackendOptions, Predictor } from './backend/index.js';
export {
  compilePredictor,
  describeBackend,
  registerWasmTrainingKernels,
  selectBackend,
  WASM_TRAINING_KERNELS,
} from './backend/index.js';
export type { ClassifierOptions, LivenessModelLike, LivenessResult } from './classifier.js';
export { LivenessClassifier } from './classifier.js';
export type { ColourSpace } from './colour-spaces.js';
export { colourLayer, RgbHsv, rgbToHsv } from './colour-spaces.js';
export type { CropOptions, FaceFinder } from './crop.js';
export { bestFace, cropFace } from './crop.js';
export type { CropSourceOptions, DatasetItem, LoadedDataset, SkippedImage } from './dataset.js';
export { DATASET_CLASSES, listDataset, loadDataset, readFaceCrops } from './dataset.js';
export { BUNDLED_MODEL_DIR, LIVENESS_MODEL_NAME, resolveLivenessModel } from './default-model.js';
export { FRAME_SIZE_FILE, isEnsembleDir, LivenessEnsemble } from './ensemble.js';
export type { EvaluateOptions, EvaluationResult } from './evaluate.js';
export { evaluateModel, writeRocPlot, writeScores } from './evaluate.js';
export type { ExtractOptions, ExtractSummary } from './extract.js';
export { extractFaces } from './extract.js';
export type {
  InMemoryModel,
  LivenessModelDestination,
  LivenessModelSource,
  LoadedLivenessModel,
} from './io.js';
export { FileSystemHandler, loadLivenessModel, MODEL_JSON, saveLivenessModel, WEIGHTS_BIN } from './io.js';
export type { KerasImportOptions } from './keras-import.js';
export { importKerasModel, isHdf5File } from './keras-import.js';
export type { LivenessMetadata, TrainingRecord } from './metadata.js';
export { defaultMetadata, METADATA_FORMAT } from './metadata.js';
export { DecayedAdam } from './optimizer.js';
export type { PadMetrics, ScoredSample } from './pad-metrics.js';
export { attackTypeOf, formatPadMetrics, padMetrics, rocCurve } from './pad-metrics.js';
export type { History, LineChart, Series } from './plot.js';
export { renderLineChart, renderRocPlot, renderTrainingPlot } from './plot.js';
export { framesToTensor, readImageFor } from './preprocess.js';
export type { ClassificationReport } from './report.js';
export { classificationReport, formatClassificationReport } from './report.js';
export type { SynthesizeDirectoryOptions, SynthesizeDirectorySummary } from './synth/directory.js';
export { synthesizeDirectory } from './synth/directory.js';
export type { AttackKind, RenderedAttack, Rng } from './synth/index.js';
export {
  ATTACK_KINDS,
  createRng,
  hashSeed,
  isAttackKind,
  renderAttack,
  synthesizeAttack,
} from './synth/index.js';
export { jitterPhotometric } from './synth/photometric.js';
export type { EpochLog, ModelReport, TrainCallbacks, TrainOptions, TrainResult } from './train.js';
export { train } from './train.js';
export { TRAINING_STATE_BIN, TRAINING_STATE_JSON } from './training-state.js';
