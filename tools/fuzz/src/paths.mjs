import { join, resolve } from 'node:path';

/** The repository root (tools/fuzz/src -> ../../..). */
export const REPO = resolve(import.meta.dirname, '..', '..', '..');
/** The project's shared data, beside the checkout unless FACE_LIVENESS_SHARED says otherwise. */
export const SHARED = process.env.FACE_LIVENESS_SHARED || resolve(REPO, '..', 'shared');
export const CLI_BIN = join(REPO, 'packages', 'cli', 'bin', 'face-liveness.js');
export const SERVICE_MAIN = join(REPO, 'examples', 'http-service', 'dist', 'main.js');
export const BLAZEFACE_ONNX = join(REPO, 'packages', 'face-detector', 'models', 'blazeface-short-range.onnx');
export const LIVENESSNET_DIR = join(REPO, 'packages', 'livenessnet', 'models', 'default');
export const SEED_IMAGE = join(SHARED, 'data', 'silentface-samples', 'real', 'image_T1.jpg');
export const SEED_VIDEO = join(SHARED, 'data', 'replay-one-subject', 'videos', 'real.mp4');
export const RES10_PB = join(SHARED, 'models', 'res10-tensorflow', 'opencv_face_detector_uint8.pb');
export const RES10_PBTXT = join(SHARED, 'models', 'res10-tensorflow', 'opencv_face_detector.pbtxt');
