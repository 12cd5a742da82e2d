import type { Frame } from '@face-liveness/core';
import { resizeBilinear } from '@face-liveness/core';
import { RES10_MEAN_BGR, RES10_SIZE } from './spec.js';

/**
 * The original's blob: resize to 300x300 (OpenCV bilinear), BGR planes minus (104, 177, 123),
 * no scaling, NCHW float32. One pass over the resized pixels.
 */
export function res10Input(frame: Frame, out = new Float32Array(3 * RES10_SIZE * RES10_SIZE)): Float32Array {
  const small =
    frame.width === RES10_SIZE && frame.height === RES10_SIZE
      ? frame
      : resizeBilinear(frame, RES10_SIZE, RES10_SIZE);
  const src = small.data;
  const plane = RES10_SIZE * RES10_SIZE;
  const [mb, mg, mr] = RES10_MEAN_BGR;
  for (let p = 0, s = 0; p < plane; p++, s += 3) {
    out[p] = src[s + 2] - mb;
    out[plane + p] = src[s + 1] - mg;
    out[2 * plane + p] = src[s] - mr;
  }
  return out;
}
