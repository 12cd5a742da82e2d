import type { Box } from '@face-liveness/core';

/**
 * A linear map of a box in its own frame of reference: the centre moves by (`dx`, `dy`) box
 * widths/heights and the size is scaled by (`sx`, `sy`). `res10 ≈ map(blazeface)`.
 */
export interface BoxCalibration {
  dx: number;
  dy: number;
  sx: number;
  sy: number;
}

/**
 * Maps short-range BlazeFace boxes (square, tight: brows to lower lip) onto the boxes OpenCV's
 * res10 draws (forehead to chin), so that crops taken from them look like the crops the liveness
 * models were trained on.
 * Least-squares fit by `bench/blazeface-calibrate.mjs` on the calibration split (NUAA subjects
 * 0001-0004 and MSU-MFSD's first five subjects), which the README's numbers exclude.
 */
export const RES10_CALIBRATION: BoxCalibration = { dx: -0.0027, dy: -0.1463, sx: 0.949, sy: 1.199 };

/** The same fit for full-range BlazeFace (`bench/blazeface-calibrate.mjs full`). */
export const RES10_CALIBRATION_FULL_RANGE: BoxCalibration = {
  dx: 0.0116,
  dy: -0.0676,
  sx: 0.9042,
  sy: 1.1444,
};

export function calibrateBox(box: Box, c: BoxCalibration): Box {
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  const cx = (box[0] + box[2]) / 2 + c.dx * w;
  const cy = (box[1] + box[3]) / 2 + c.dy * h;
  const hw = (c.sx * w) / 2;
  const hh = (c.sy * h) / 2;
  return [cx - hw, cy - hh, cx + hw, cy + hh];
}
