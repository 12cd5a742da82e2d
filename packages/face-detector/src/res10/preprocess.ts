import type { Frame } from '@face-liveness/core';
import { assertFrame, resizeBilinearRows } from '@face-liveness/core';
import { RES10_MEAN_BGR, RES10_SIZE } from './spec.js';

/**
 * The original's blob: resize to 300x300 (OpenCV bilinear), BGR planes minus (104, 177, 123),
 * no scaling, NCHW float32, written row by row as the resize produces them.
 */
export function res10Input(frame: Frame, out = new Float32Array(3 * RES10_SIZE * RES10_SIZE)): Float32Array {
  const plane = RES10_SIZE * RES10_SIZE;
  const [mb, mg, mr] = RES10_MEAN_BGR;
  const write = (o: number, src: Uint8Array, s: number) => {
    for (let p = 0; p < RES10_SIZE; p++, s += 3) {
      out[o + p] = src[s + 2] - mb;
      out[plane + o + p] = src[s + 1] - mg;
      out[2 * plane + o + p] = src[s] - mr;
    }
  };
  if (frame.width === RES10_SIZE && frame.height === RES10_SIZE) {
    assertFrame(frame);
    for (let y = 0; y < RES10_SIZE; y++) write(y * RES10_SIZE, frame.data, y * RES10_SIZE * 3);
  } else {
    resizeBilinearRows(frame, RES10_SIZE, RES10_SIZE, (y, row) => write(y * RES10_SIZE, row, 0));
  }
  return out;
}
