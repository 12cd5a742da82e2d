import type { Box, FaceDetectorLike, Point } from '@face-liveness/core';
import type { ShapePredictor } from '@face-liveness/landmarks';
import { type DetectorFlags, openDetector } from './detector.js';
import { Flag } from './flag.js';

const GROUP = 'Landmarks:';

/** `short`: demo keeps the original demo.py's `-p` (train's `-p` is its plot). */
export const shapePredictor = (short?: '-p') =>
  new Flag(
    `${short ? `${short}, ` : ''}--shape-predictor <dat>`,
    "dlib 68-point landmark model (default: the store's dlib-shape68, else /usr/share/dlib/shape_predictor_68_face_landmarks.dat)",
  ).helpGroup(GROUP);

export const noLandmarks = () =>
  new Flag(
    '--no-landmarks',
    'skip landmarks and blinks (faster; the blink policies then never see a blink)',
  ).helpGroup(GROUP);

/** The predictor `--shape-predictor` names, else the default one. */
export async function openShapePredictor(flags: { shapePredictor?: string }): Promise<ShapePredictor> {
  const { resolveShapePredictor, ShapePredictor } = await import('@face-liveness/landmarks');
  return ShapePredictor.load(await resolveShapePredictor(flags.shapePredictor));
}

/**
 * The shape predictor and the detector, opened together (the first closed again when the second
 * fails): what the commands that find landmarks in images need.
 */
export async function openLandmarkModels(flags: DetectorFlags & { shapePredictor?: string }) {
  const predictor = await openShapePredictor(flags);
  const detector = await openDetector(flags).catch(async (error) => {
    await predictor.close();
    throw error;
  });
  return { predictor, detector, close: () => Promise.all([predictor.close(), detector.close()]) };
}

/** One face's 68 points. */
export interface FaceLandmarks {
  image: string;
  box: Box;
  points: Point[];
}

/** The points of each face the detector finds in an image, predicted as the pipeline does. */
export async function landmarksOfImage(
  predictor: ShapePredictor,
  detector: FaceDetectorLike,
  image: string,
): Promise<FaceLandmarks[]> {
  const [{ readImage }, { shapePredictorLandmarker }] = await Promise.all([
    import('@face-liveness/core'),
    import('@face-liveness/pipeline'),
  ]);
  const frame = await readImage(image);
  const landmarker = shapePredictorLandmarker(predictor);
  const faces = await detector.detect(frame);
  return Promise.all(
    faces.map(async ({ box, keypoints }) => ({
      image,
      box,
      points: await landmarker.predict(frame, box, keypoints),
    })),
  );
}
