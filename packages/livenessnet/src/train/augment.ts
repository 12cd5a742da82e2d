import type { Frame, Rng } from '@face-liveness/core';
import { flipHorizontal, warpAffine } from '@face-liveness/core';

/** The original's `ImageDataGenerator` settings (train_liveness.py). */
export interface AugmentOptions {
  /** Degrees, uniform in [-r, r]. Default 20. */
  rotationRange?: number;
  /** Scale factors drawn independently per axis, uniform in [1 - z, 1 + z]. Default 0.15. */
  zoomRange?: number;
  /** Fractions of the width / height, uniform in [-s, s]. Default 0.2 each. */
  widthShiftRange?: number;
  heightShiftRange?: number;
  /** Degrees (Keras 2.2's `shear_range` is in degrees, so the original's 0.15 is a tiny shear). Default 0.15. */
  shearRange?: number;
  /** Mirror with probability 0.5. Default true. */
  horizontalFlip?: boolean;
}

const DEG = Math.PI / 180;

type Matrix3 = [number, number, number, number, number, number, number, number, number];

function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out = new Array(9).fill(0) as Matrix3;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      for (let k = 0; k < 3; k++) out[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
    }
  }
  return out;
}

/** One draw of Keras' random transform: degrees, pixels (tx along rows, ty along columns), zoom factors. */
export interface KerasTransform {
  theta: number;
  tx: number;
  ty: number;
  shear: number;
  zx: number;
  zy: number;
  flip: boolean;
}

/**
 * Keras 2.2's `apply_affine_transform` (+ horizontal flip) on a uint8 crop: the same matrix
 * composition in (row, col) coordinates about the centre, bilinear sampling, nearest fill.
 */
export function applyKerasTransform(frame: Frame, t: KerasTransform): Frame {
  const theta = t.theta * DEG;
  const shear = t.shear * DEG;
  let m: Matrix3 = [Math.cos(theta), -Math.sin(theta), 0, Math.sin(theta), Math.cos(theta), 0, 0, 0, 1];
  m = multiply(m, [1, 0, t.tx, 0, 1, t.ty, 0, 0, 1]);
  m = multiply(m, [1, -Math.sin(shear), 0, 0, Math.cos(shear), 0, 0, 0, 1]);
  m = multiply(m, [t.zx, 0, 0, 0, t.zy, 0, 0, 0, 1]);
  // keras_preprocessing's transform_matrix_offset_center uses size / 2 + 0.5 (sic)
  const oRow = frame.height / 2 + 0.5;
  const oCol = frame.width / 2 + 0.5;
  m = multiply(multiply([1, 0, oRow, 0, 1, oCol, 0, 0, 1], m), [1, 0, -oRow, 0, 1, -oCol, 0, 0, 1]);
  // m maps output (row, col) to input (row, col); warpAffine wants (x, y) = (col, row)
  const warped = warpAffine(frame, [m[4], m[3], m[5], m[1], m[0], m[2]]);
  return t.flip ? flipHorizontal(warped) : warped;
}

/**
 * One random augmentation of a face crop, its parameters drawn as Keras 2.2's
 * `ImageDataGenerator.get_random_transform` draws them (same order and ranges).
 */
export function randomAugment(frame: Frame, rng: Rng, options: AugmentOptions = {}): Frame {
  const {
    rotationRange = 20,
    zoomRange = 0.15,
    widthShiftRange = 0.2,
    heightShiftRange = 0.2,
    shearRange = 0.15,
    horizontalFlip = true,
  } = options;
  const theta = rng.uniform(-rotationRange, rotationRange);
  const tx = rng.uniform(-heightShiftRange, heightShiftRange) * frame.height;
  const ty = rng.uniform(-widthShiftRange, widthShiftRange) * frame.width;
  const shear = rng.uniform(-shearRange, shearRange);
  const zx = zoomRange ? rng.uniform(1 - zoomRange, 1 + zoomRange) : 1;
  const zy = zoomRange ? rng.uniform(1 - zoomRange, 1 + zoomRange) : 1;
  const flip = horizontalFlip && rng.chance(0.5);
  return applyKerasTransform(frame, { theta, tx, ty, shear, zx, zy, flip });
}
