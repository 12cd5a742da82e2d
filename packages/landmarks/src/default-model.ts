import { ModelStore } from '@face-liveness/core';

/** Model store key of dlib's 68-point shape predictor. */
export const SHAPE_PREDICTOR_MODEL_NAME = 'dlib-shape68';
/** Where Debian's `libdlib-data` package installs dlib's 68-point model. */
export const DEBIAN_SHAPE_PREDICTOR_PATH = '/usr/share/dlib/shape_predictor_68_face_landmarks.dat';

/**
 * The shape predictor file to use: `explicitPath` when given (it must exist), else the store's
 * `dlib-shape68`, else Debian's libdlib-data copy. Throws a ModelNotFoundError saying how to get one.
 */
export async function resolveShapePredictor(
  explicitPath?: string,
  store = new ModelStore(),
): Promise<string> {
  return store.resolve(
    SHAPE_PREDICTOR_MODEL_NAME,
    explicitPath,
    `dlib's 68-point shape predictor is not at ${DEBIAN_SHAPE_PREDICTOR_PATH} either: apt-get install libdlib-data, ` +
      'or pass the .dat file (CLI: --shape-predictor FILE.dat; createLivenessEngine: landmarkModel)',
    DEBIAN_SHAPE_PREDICTOR_PATH,
  );
}
