// `@face-liveness/livenessnet`: what an app needs to classify face crops: load a model (directory, URL,
// memory; a Keras .h5 loads the `./keras` importer and h5wasm on demand), crop and preprocess, pick the
// inference backend, run single models and ensembles. No training, evaluation, plotting or synthesis
// code: those are the `./train`, `./evaluate`, `./keras`, `./synth` and `./extract` entries.
export type { BackendName, BackendOptions, Predictor } from './backend/index.js';
export { compilePredictor, describeBackend, selectBackend } from './backend/index.js';
export type { ClassifierOptions, LivenessModelLike, LivenessResult } from './classifier.js';
export { LivenessClassifier } from './classifier.js';
export type { CropOptions, FaceFinder } from './crop.js';
export { bestFace, cropFace } from './crop.js';
export { BUNDLED_MODEL_DIR, LIVENESS_MODEL_NAME, resolveLivenessModel } from './default-model.js';
export { FRAME_SIZE_FILE, isEnsembleDir, LivenessEnsemble } from './ensemble.js';
export { ensembleScore, ensembleThreshold } from './ensemble-rule.js';
export type {
  InMemoryModel,
  LivenessModelSource,
  LoadedLivenessModel,
} from './io/load.js';
export { FileSystemHandler, loadLivenessModel, MODEL_JSON, WEIGHTS_BIN } from './io/load.js';
export type { LivenessMetadata, TrainingRecord } from './metadata.js';
export { METADATA_FORMAT } from './metadata.js';
export { framesToTensor, readImageFor } from './preprocess.js';
export { rgbToHsv } from './rgb-hsv.js';
