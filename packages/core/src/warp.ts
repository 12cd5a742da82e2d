import { InvalidInputError } from './errors.js';
import type { Frame } from './frame.js';
import { assertFrame } from './frame.js';

/** Row-major 2x3 matrix [a, b, c, d, e, f]: (x, y) -> (a x + b y + c, d x + e y + f). */
export type Affine = [number, number, number, number, number, number];

/**
 * Affine warp by inverse mapping: output pixel (x, y) takes the bilinear sample of the input at
 * `inverse` applied to (x, y). Outside the input the nearest edge pixel is used (scipy's and Keras'
 * `fill_mode='nearest'`).
 */
export function warpAffine(frame: Frame, inverse: Affine, width = frame.width, height = frame.height): Frame {
  assertFrame(frame);
  if (inverse.length !== 6 || inverse.some((v) => !Number.isFinite(v))) {
    throw new InvalidInputError(`affine matrix must be 6 finite numbers, got [${inverse.join(', ')}]`);
  }
  const [a, b, c, d, e, f] = inverse;
  const { data, width: sw, height: sh } = frame;
  const out = new Uint8Array(width * height * 3);
  const pixel = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sampleBilinear(data, sw, sh, a * x + b * y + c, d * x + e * y + f, pixel);
      const o = (y * width + x) * 3;
      for (let ch = 0; ch < 3; ch++) out[o + ch] = Math.round(pixel[ch]);
    }
  }
  return { data: out, width, height };
}

/** Mirrors a frame left to right. */
export function flipHorizontal(frame: Frame): Frame {
  assertFrame(frame);
  const { data, width, height } = frame;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      out.set(data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3), (y * width + width - 1 - x) * 3);
    }
  }
  return { data: out, width, height };
}

/**
 * The bilinear sample of a channel-interleaved 3-channel image (bytes or floats) at (x, y), pixel
 * centres on integer coordinates, clamped to the edge pixels; the three values go into `out`.
 */
export function sampleBilinear(
  data: ArrayLike<number>,
  width: number,
  height: number,
  x: number,
  y: number,
  out: Float32Array | number[],
): void {
  const sx = Math.min(Math.max(x, 0), width - 1);
  const sy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = sx - x0;
  const fy = sy - y0;
  const p00 = (y0 * width + x0) * 3;
  const p01 = (y0 * width + x1) * 3;
  const p10 = (y1 * width + x0) * 3;
  const p11 = (y1 * width + x1) * 3;
  for (let ch = 0; ch < 3; ch++) {
    const top = data[p00 + ch] + (data[p01 + ch] - data[p00 + ch]) * fx;
    const bottom = data[p10 + ch] + (data[p11 + ch] - data[p10 + ch]) * fx;
    out[ch] = top + (bottom - top) * fy;
  }
}
