import type { Box, FaceDetectorLike, Point } from '@face-liveness/core';
import type { ShapePredictor } from '@face-liveness/landmarks';
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
