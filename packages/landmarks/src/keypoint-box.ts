import {
  type Box,
  type DetectedFace,
  type Frame,
  InvalidInputError,
  type Keypoint,
  type Point,
} from '@face-liveness/core';
import type { DetectorKind } from './box-mapping.js';
import type { ShapePredictorModel } from './model.js';
import type { ShapePredictor } from './shape-predictor.js';

/**
 * The 68-point parts that stand for each of BlazeFace's first four keypoints (MediaPipe's order:
 * the person's right eye, left eye, nose tip, mouth centre): eye contours 36-41 and 42-47, nose
 * tip 30, inner lips 60-67.
 */
const PARTS_OF_KEYPOINT: readonly (readonly number[])[] = [
  [36, 37, 38, 39, 40, 41],
  [42, 43, 44, 45, 46, 47],
  [30],
  [60, 61, 62, 63, 64, 65, 66, 67],
];

/** The narrowest keypoint fit, as a fraction of the detector box's width, taken as a face. */
const MIN_KEYPOINT_BOX = 0.5;

/**
 * The square box onto which the model's mean shape puts its eyes, nose tip and mouth closest (least
 * squares, scale and shift) to a detector's keypoints: where to start the 68-point predictor.
 *
 * A box alone says nothing about where the face points; on a head turned ~45 degrees a box-started
 * prediction can settle on the mirror-image pose and flip between poses from frame to frame, which
 * reads as eye closures. Keypoints pin the eyes down, so the start already has the right pose.
 * Needs a 68-point model and at least the first four keypoints (BlazeFace gives six).
 */
export function boxFromKeypoints(model: ShapePredictorModel, keypoints: readonly Keypoint[]): Box {
  if (model.numParts !== 68) {
    throw new InvalidInputError(
      `boxFromKeypoints needs a 68-point shape model; this one has ${model.numParts} parts`,
    );
  }
  if (keypoints.length < PARTS_OF_KEYPOINT.length || !keypoints.flat().every(Number.isFinite)) {
    throw new InvalidInputError(
      `expected at least ${PARTS_OF_KEYPOINT.length} finite keypoints (right eye, left eye, nose tip, mouth), got ${keypoints.length}`,
    );
  }
  const box = fitKeypoints(model, keypoints);
  if (!box) throw new InvalidInputError('the keypoints are degenerate (all at one point, or mirrored)');
  return box;
}

/** {@link boxFromKeypoints} for checked arguments; undefined when the fit has no positive scale. */
function fitKeypoints(model: ShapePredictorModel, keypoints: readonly Keypoint[]): Box | undefined {
  const ref = model.initialShape;
  const refPoints = PARTS_OF_KEYPOINT.map((parts) => {
    let x = 0;
    let y = 0;
    for (const p of parts) {
      x += ref[2 * p];
      y += ref[2 * p + 1];
    }
    return [x / parts.length, y / parts.length];
  });
  const n = refPoints.length;
  let mx = 0;
  let my = 0;
  let rx = 0;
  let ry = 0;
  for (let i = 0; i < n; i++) {
    mx += keypoints[i][0] / n;
    my += keypoints[i][1] / n;
    rx += refPoints[i][0] / n;
    ry += refPoints[i][1] / n;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const fx = refPoints[i][0] - rx;
    const fy = refPoints[i][1] - ry;
    num += fx * (keypoints[i][0] - mx) + fy * (keypoints[i][1] - my);
    den += fx * fx + fy * fy;
  }
  const size = num / den;
  if (!(size > 0)) return undefined;
  const x0 = mx - size * rx;
  const y0 = my - size * ry;
  // dlib's rectangles are inclusive: the mean shape's unit square spans size + 1 pixels.
  return [x0, y0, x0 + size + 1, y0 + size + 1];
}

/**
 * The 68 landmarks of a face found by a detector that gives keypoints (BlazeFace): predicted from
 * {@link boxFromKeypoints}, then `refine` more times from the box the points fit
 * ({@link ShapePredictor.predictFromStart}). On HELEN this is as accurate as starting from dlib's
 * own detector boxes (2.53% vs 2.57% of the eye-corner distance), where BlazeFace's box gives 3.23%.
 */
export function predictFromKeypoints(
  predictor: ShapePredictor,
  frame: Frame,
  keypoints: readonly Keypoint[],
  refine = 1,
): Point[] {
  return predictor.predictFromStart(frame, boxFromKeypoints(predictor.model, keypoints), refine);
}

/**
 * The landmarks of a detector's face: from its keypoints ({@link predictFromKeypoints}) when the
 * model has 68 points and at least four finite keypoints fit an upright face, else from its box
 * ({@link ShapePredictor.predictFromDetector}, the box taken as `detector`'s). Default `refine` 1.
 *
 * Keypoints that fit no upright face the size of the box fall back to the box: all at one point,
 * mirrored, or a face on its side, whose keypoints fit a mean face a fifth of the box's width (on
 * upright faces the fit is 0.9-1.1 times as wide as the box). The detector's box is still good, so
 * one odd frame of a video costs the better start, not the frame.
 */
export function predictFromFace(
  predictor: ShapePredictor,
  frame: Frame,
  face: Pick<DetectedFace, 'box'> & { keypoints?: readonly Keypoint[] },
  detector: DetectorKind,
  refine = 1,
): Point[] {
  const { box, keypoints } = face;
  const usable =
    predictor.numParts === 68 &&
    keypoints &&
    keypoints.length >= PARTS_OF_KEYPOINT.length &&
    keypoints.flat().every(Number.isFinite);
  const start = usable ? fitKeypoints(predictor.model, keypoints) : undefined;
  if (start && start[2] - start[0] >= MIN_KEYPOINT_BOX * (box[2] - box[0])) {
    return predictor.predictFromStart(frame, start, refine);
  }
  return predictor.predictFromDetector(frame, box, detector, refine);
}
