export type { MiniFasNetOptions, MiniFasNetResult } from './classifier.js';
export { MiniFasNetClassifier } from './classifier.js';
export { boxInCrop, silentFaceInput, silentFaceWindow } from './crop.js';
export type { MiniFasNetMember, MiniFasNetModel, MiniFasNetName } from './models.js';
export {
  isMiniFasNetName,
  MINIFASNET_METADATA_DIR,
  MINIFASNET_NAMES,
  miniFasNetDir,
  parseModelName,
  resolveMiniFasNet,
} from './models.js';
