import type { Frame } from '@face-liveness/core';
import { frameToBlob } from '@face-liveness/core';
import { RES10_MEAN_BGR, RES10_SIZE } from './spec.js';

const BLOB = { width: RES10_SIZE, height: RES10_SIZE, channelOrder: 'bgr', mean: RES10_MEAN_BGR } as const;

/** Where the frame lies in the 300x300 input: input pixel = offset + frame pixel x scale. */
export interface InputPlacement {
  offsetX: number;
  offsetY: number;
  /** Input pixels per frame pixel. */
  scaleX: number;
  scaleY: number;
}

/**
 * The original's blob: resize to 300x300 (OpenCV bilinear), BGR planes minus (104, 177, 123),
 * no scaling, NCHW float32, in one pass; into `out` when given (3x300x300 values).
 */
export function res10Input(frame: Frame, out?: Float32Array): Float32Array {
  return frameToBlob(frame, BLOB, out);
}

/** {@link res10Input} into `out`, and where the frame lies in it (all of it, stretched). */
export function stretchInput(frame: Frame, out: Float32Array): InputPlacement {
  res10Input(frame, out);
  return { offsetX: 0, offsetY: 0, scaleX: RES10_SIZE / frame.width, scaleY: RES10_SIZE / frame.height };
}
