// `@face-liveness/livenessnet/train`: everything training needs and inference does not: the architecture
// builders, dataset loading, augmentation, Keras' decayed Adam, the resumable training state, the wasm
// training kernels, model saving, the reports and the plot (drawn with @napi-rs/canvas, optional).

export type { Rng } from '@face-liveness/core';
export { createRng, hashSeed } from '@face-liveness/core';
export type { ColourSpace } from '../architectures/colour-layer.js';
export { colourLayer } from '../architectures/colour-layer.js';
export type { LivenessNetOptions } from '../architectures/livenessnet-v1.js';
export { buildLivenessNet } from '../architectures/livenessnet-v1.js';
export type { ArchitectureBuilder, ArchitectureOptions } from '../architectures/options.js';
export { glorotInitializers } from '../architectures/options.js';
export { architectures, buildArchitecture, DEFAULT_ARCHITECTURE } from '../architectures/registry.js';
export { RgbHsv } from '../architectures/rgb-hsv-layer.js';
export type { CropSourceOptions, DatasetItem, LoadedDataset, SkippedImage } from '../dataset.js';
export { DATASET_CLASSES, listDataset, loadDataset, readFaceCrops } from '../dataset.js';
export type { LivenessModelDestination } from '../io/save.js';
export { saveLivenessModel } from '../io/save.js';
export { defaultMetadata } from '../metadata.js';
export type { History } from '../plot.js';
export { renderTrainingPlot } from '../plot.js';
export type { AugmentOptions, KerasTransform } from './augment.js';
export { applyKerasTransform, randomAugment } from './augment.js';
export { selectTrainingBackend } from './backend.js';
export { DecayedAdam } from './optimizer.js';
export type { EpochLog, ModelReport, TrainCallbacks, TrainOptions, TrainResult } from './options.js';
export { train } from './train.js';
export { TRAINING_STATE_BIN, TRAINING_STATE_JSON } from './training-state.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm-kernels/index.js';
