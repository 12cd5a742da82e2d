// `@face-liveness/livenessnet/keras`: the original's Keras HDF5 models, read with h5wasm (an optional
// peer dependency, loaded when a file is imported), and saved as model directories.

export { isHdf5File } from '../io/hdf5-signature.js';
export type { LivenessModelDestination } from '../io/save.js';
export { saveLivenessModel } from '../io/save.js';
export type { KerasImportOptions } from './import.js';
export { importKerasModel } from './import.js';
