import type { Box } from '@face-liveness/core';
import { type BoxCalibration, calibrateBox, RES10_CALIBRATION } from '@face-liveness/face-detector';

/**
 * Maps an OpenCV res10 face box onto the box dlib's HOG face detector draws for the same face,
 * the box dlib's 68-point model was trained on. Least squares in the res10 box's own frame (mean
 * centre offset in box widths/heights, scale as the slope through the origin) on 101 face pairs
 * from the reference fixtures, HELEN excluded; `bench/box-mapping.mjs` refits and evaluates it.
 */
export const DLIB_FROM_RES10: BoxCalibration = { dx: 0.0012, dy: 0.0755, sx: 1.0692, sy: 0.7886 };

/** Detectors whose boxes {@link fromDetectorBox} knows how to map. */
export type DetectorKind = 'res10' | 'blazeface' | 'dlib';

/**
 * The box to give {@link ShapePredictor.predict} for a face box found by `detector`: res10 boxes
 * go through {@link DLIB_FROM_RES10}; BlazeFace boxes first through the face-detector package's
 * BlazeFace-to-res10 calibration; dlib boxes are returned unchanged.
 */
export function fromDetectorBox(box: Box, detector: DetectorKind): Box {
  switch (detector) {
    case 'dlib':
      return [...box];
    case 'res10':
      return calibrateBox(box, DLIB_FROM_RES10);
    case 'blazeface':
      return calibrateBox(calibrateBox(box, RES10_CALIBRATION), DLIB_FROM_RES10);
  }
}
