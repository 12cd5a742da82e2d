import type { Frame } from '@face-liveness/core';
import { frameToBlob } from '@face-liveness/core';
import { type InputPlacement, stretchInput } from './preprocess.js';
import { RES10_MEAN_BGR, RES10_SIZE } from './spec.js';

/**
 * How a frame becomes res10's 300x300 input. `'letterbox'`: a frame of another shape is fitted
 * into a 4:3 picture with borders (see {@link letterboxInput}), so faces keep the proportions the
 * model was trained on; `'stretch'`: resized straight to 300x300 as OpenCV's `blobFromImage` does
 * (use it to compare with OpenCV, or where the old boxes must be reproduced).
 */
export type Res10Resize = 'letterbox' | 'stretch';

/** The resize modes, for option checks and CLI choices. */
export const RES10_RESIZES: readonly Res10Resize[] = ['letterbox', 'stretch'];

const BLOB = { channelOrder: 'bgr', mean: RES10_MEAN_BGR } as const;

// The resized picture before it is placed, reused while the frame size stays the same.
let picture: { key: string; data: Float32Array } | undefined;

/**
 * res10's input for `frame` (BGR planes minus the mean, NCHW, into `out`), letterboxed: the frame as
 * it would sit centred on a 4:3 canvas (640x480 webcam frames, the shape res10 was trained on), that
 * canvas scaled to 300x300. A portrait frame gets side borders, a wide one (16:9, 3:2) top and
 * bottom borders; a frame within half a pixel of 4:3 fills the input. The frame is resized straight
 * to its place in the input, never padded at full size, so a very wide or tall frame costs what any
 * other does. The border is 0: the model's mean colour after mean subtraction, the value a
 * zero-padded convolution already sees outside the image, so it adds no edge of its own.
 */
export function letterboxInput(frame: Frame, out: Float32Array): InputPlacement {
  const { width, height } = frame;
  const canvasWidth = Math.max(width, Math.round((height * 4) / 3));
  const canvasHeight = Math.max(height, Math.round((width * 3) / 4));
  if (canvasWidth === width && canvasHeight === height) return stretchInput(frame, out);
  const w = Math.max(1, Math.round((width * RES10_SIZE) / canvasWidth));
  const h = Math.max(1, Math.round((height * RES10_SIZE) / canvasHeight));
  const offsetX = Math.floor((RES10_SIZE - w) / 2);
  const offsetY = Math.floor((RES10_SIZE - h) / 2);
  const key = `${w}x${h}`;
  if (picture?.key !== key) picture = { key, data: new Float32Array(3 * w * h) };
  const resized = frameToBlob(frame, { ...BLOB, width: w, height: h }, picture.data);
  out.fill(0);
  const plane = RES10_SIZE * RES10_SIZE;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < h; y++) {
      const from = c * w * h + y * w;
      out.set(resized.subarray(from, from + w), c * plane + (y + offsetY) * RES10_SIZE + offsetX);
    }
  }
  return { offsetX, offsetY, scaleX: w / width, scaleY: h / height };
}
