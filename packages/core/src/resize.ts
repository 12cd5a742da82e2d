import { InvalidInputError } from './errors.js';
import type { Frame } from './frame.js';
import { assertFrame } from './frame.js';

// OpenCV's INTER_LINEAR on 8-bit images works in fixed point with 11-bit weights; doing the same
// here keeps crops bit-compatible with what the original models were trained and evaluated on.
const COEF_BITS = 11;
export const COEF_SCALE = 1 << COEF_BITS;

export interface Taps {
  index: Int32Array;
  weight: Int32Array;
}

export function linearTaps(src: number, dst: number): Taps {
  const scale = src / dst;
  const index = new Int32Array(dst);
  const weight = new Int32Array(dst);
  for (let d = 0; d < dst; d++) {
    let f = (d + 0.5) * scale - 0.5;
    let s = Math.floor(f);
    f -= s;
    if (s < 0) {
      s = 0;
      f = 0;
    }
    if (s >= src - 1) {
      s = src - 1;
      f = 0;
    }
    index[d] = s;
    weight[d] = Math.round(f * COEF_SCALE);
  }
  return { index, weight };
}

/**
 * Bilinear resize equal to OpenCV's `cv2.resize(..., interpolation=INTER_LINEAR)` on 8-bit images
 * (half-pixel centres, edge replication, no antialiasing). (`frameToBlob` resizes the same way
 * straight into a network's planar float input.)
 */
export function resizeBilinear(frame: Frame, width: number, height: number): Frame {
  assertFrame(frame);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new InvalidInputError(`resize target ${width}x${height} must be positive integers`);
  }
  const src = frame.data;
  const sw = frame.width;
  const xs = linearTaps(sw, width);
  const ys = linearTaps(frame.height, height);
  let rowA = new Int32Array(width * 3);
  let rowB = new Int32Array(width * 3);
  const out = new Uint8Array(width * height * 3);
  const horizontal = (sy: number, target: Int32Array) => {
    const base = sy * sw * 3;
    for (let x = 0; x < width; x++) {
      const s = base + xs.index[x] * 3;
      const b = xs.weight[x];
      const a = COEF_SCALE - b;
      const next = b === 0 ? s : s + 3;
      target[x * 3] = src[s] * a + src[next] * b;
      target[x * 3 + 1] = src[s + 1] * a + src[next + 1] * b;
      target[x * 3 + 2] = src[s + 2] * a + src[next + 2] * b;
    }
  };
  let cachedA = -1;
  let cachedB = -1;
  for (let y = 0; y < height; y++) {
    const sy = ys.index[y];
    const b = ys.weight[y];
    const sy2 = b === 0 ? sy : sy + 1;
    if (cachedA !== sy) {
      if (cachedB === sy) {
        // Moving down by one source row: the previous lower row is this upper row.
        [rowA, rowB] = [rowB, rowA];
        cachedB = -1;
      } else {
        horizontal(sy, rowA);
      }
      cachedA = sy;
    }
    if (cachedB !== sy2) {
      horizontal(sy2, rowB);
      cachedB = sy2;
    }
    const a = COEF_SCALE - b;
    const o = y * width * 3;
    for (let i = 0; i < width * 3; i++) {
      // The rounding of OpenCV's SIMD path (VResizeLinearVec_32s8u): 16-bit high products, then (sum + 2) >> 2.
      const v = ((((rowA[i] >> 4) * a) >> 16) + (((rowB[i] >> 4) * b) >> 16) + 2) >> 2;
      out[o + i] = Math.min(v, 255);
    }
  }
  return { data: out, width, height };
}
