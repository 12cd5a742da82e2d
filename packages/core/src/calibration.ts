import type { Box } from './geometry.js';

/**
 * A linear map of a box in its own frame of reference: the centre moves by (`dx`, `dy`) box
 * widths/heights and the size is scaled by (`sx`, `sy`).
 */
export interface BoxCalibration {
  dx: number;
  dy: number;
  sx: number;
  sy: number;
}

/** Applies a {@link BoxCalibration} to a box. */
export function calibrateBox(box: Box, c: BoxCalibration): Box {
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  const cx = (box[0] + box[2]) / 2 + c.dx * w;
  const cy = (box[1] + box[3]) / 2 + c.dy * h;
  const hw = (c.sx * w) / 2;
  const hh = (c.sy * h) / 2;
  return [cx - hw, cy - hh, cx + hw, cy + hh];
}

/**
 * Every face box the project passes between components is in one convention: the box OpenCV's
 * res10 draws (forehead to chin), which the liveness models were trained on and the landmark
 * start is fitted to. A detector of another kind maps its own boxes onto it with one of these.
 *
 * Short-range BlazeFace (square, tight: brows to lower lip) -> res10. Least-squares fit by the
 * face-detector package's `bench/blazeface-calibrate.mjs` on the calibration split (NUAA subjects
 * 0001-0004 and MSU-MFSD's first five subjects), which the published numbers exclude.
 */
export const RES10_FROM_BLAZEFACE_SHORT: BoxCalibration = { dx: -0.0027, dy: -0.1463, sx: 0.949, sy: 1.199 };

/** The same fit for full-range BlazeFace (`bench/blazeface-calibrate.mjs full`). */
export const RES10_FROM_BLAZEFACE_FULL: BoxCalibration = { dx: 0.0116, dy: -0.0676, sx: 0.9042, sy: 1.1444 };

/**
 * res10 -> the box dlib's HOG face detector draws for the same face (the box dlib's 68-point model
 * was trained on). Least squares in the res10 box's own frame (mean centre offset in box
 * widths/heights, scale as the slope through the origin) on 101 face pairs from the reference
 * fixtures, HELEN excluded; the landmarks package's `bench/box-mapping.mjs` refits and evaluates it.
 */
export const DLIB_FROM_RES10: BoxCalibration = { dx: 0.0012, dy: 0.0755, sx: 1.0692, sy: 0.7886 };
