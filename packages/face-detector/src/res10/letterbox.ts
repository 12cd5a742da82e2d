import type { Frame } from '@face-liveness/core';
import { RES10_MEAN_BGR } from './spec.js';

/**
 * How a frame becomes res10's 300x300 input. `'letterbox'`: frames of another shape are first
 * padded to 4:3 (see {@link padTo4x3}), so faces keep the proportions the model was trained on;
 * `'stretch'`: resized straight to 300x300 as OpenCV's `blobFromImage` does (use it to compare
 * with OpenCV, or where the old boxes must be reproduced).
 */
export type Res10Resize = 'letterbox' | 'stretch';

/** The resize modes, for option checks and CLI choices. */
export const RES10_RESIZES: readonly Res10Resize[] = ['letterbox', 'stretch'];

/** A frame padded to 4:3 and where the original sits in it. */
export interface PaddedFrame {
  frame: Frame;
  /** Padded-frame position of the original's top-left pixel (0 when nothing was added). */
  left: number;
  top: number;
}

// The model's mean colour, RGB: after res10's mean subtraction the border is exactly zero, the
// value a zero-padded convolution already sees outside the image, so the border adds no signal
// of its own (black or grey borders would be a strong, fake edge at the frame's sides).
const FILL_RGB = [RES10_MEAN_BGR[2], RES10_MEAN_BGR[1], RES10_MEAN_BGR[0]] as const;

// The canvas of the last frame size, reused: its border is filled once and never overwritten,
// since every frame of that size is copied into the same place. Only read synchronously.
let canvas: { key: string; data: Uint8Array } | undefined;

/**
 * `frame` centred on a canvas of aspect 4:3 (640x480 webcam frames, the shape res10 was trained
 * on) filled with the model's mean colour: a portrait frame gets side borders, a wide one (16:9,
 * 3:2) top and bottom borders. A frame within half a pixel of 4:3 is returned as it is. The
 * returned frame may be shared with the next call: use it before calling again.
 */
export function padTo4x3(frame: Frame): PaddedFrame {
  const { width, height } = frame;
  const paddedWidth = Math.max(width, Math.round((height * 4) / 3));
  const paddedHeight = Math.max(height, Math.round((width * 3) / 4));
  if (paddedWidth === width && paddedHeight === height) return { frame, left: 0, top: 0 };
  const left = Math.floor((paddedWidth - width) / 2);
  const top = Math.floor((paddedHeight - height) / 2);
  const key = `${width}x${height}`;
  if (canvas?.key !== key) {
    const data = new Uint8Array(paddedWidth * paddedHeight * 3);
    for (let i = 0; i < data.length; i += 3) data.set(FILL_RGB, i);
    canvas = { key, data };
  }
  const { data } = canvas;
  const rowBytes = width * 3;
  if (left === 0) {
    data.set(frame.data, top * rowBytes);
  } else {
    for (let y = 0; y < height; y++) {
      data.set(frame.data.subarray(y * rowBytes, (y + 1) * rowBytes), ((y + top) * paddedWidth + left) * 3);
    }
  }
  return { frame: { data, width: paddedWidth, height: paddedHeight }, left, top };
}
