export type { ArchitectureBuilder, ArchitectureOptions } from './architectures.js';
export { architectures, buildArchitecture, buildLivenessNet, DEFAULT_ARCHITECTURE } from './architectures.js';
export type { BackendName, BackendOptions } from './backend/index.js';
export { selectBackend } from './backend/index.js';
export type { ClassifierOptions, LivenessModelLike, LivenessResult } from './classifier.js';
export { LivenessClassifier } from './classifier.js';
export { FRAME_SIZE_FILE, isEnsembleDir, LivenessEnsemble } from './ensemble.js';
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
export { framesToTensor, readImageFor } from './preprocess.js';
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
