import type { Frame } from '@face-liveness/core';
import { frameToBlob } from '@face-liveness/core';
import { RES10_MEAN_BGR, RES10_SIZE } from './spec.js';

const BLOB = { width: RES10_SIZE, height: RES10_SIZE, channelOrder: 'bgr', mean: RES10_MEAN_BGR } as const;

/**
 * The original's blob: resize to 300x300 (OpenCV bilinear), BGR planes minus (104, 177, 123),
 * no scaling, NCHW float32, in one pass; into `out` when given (3x300x300 values).
 */
export function res10Input(frame: Frame, out?: Float32Array): Float32Array {
  return frameToBlob(frame, BLOB, out);
}
