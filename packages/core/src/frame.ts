import { InvalidInputError } from './errors.js';
import type { Box } from './geometry.js';

/**
 * The one image type every package works on: 8-bit RGB, row-major, 3 bytes per pixel, no padding.
 * Decoding (sharp, ffmpeg) happens at the edges; everything in between takes a `Frame`.
 */
export interface Frame {
  /** `width * height * 3` bytes, R G B for each pixel, rows top to bottom. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Wraps RGB bytes as a frame after checking that the sizes agree. */
export function createFrame(data: Uint8Array, width: number, height: number): Frame {
  const frame = { data, width, height };
  assertFrame(frame);
  return frame;
}

/** Throws an {@link InvalidInputError} naming `what` unless `frame` is a well-formed RGB frame. */
export function assertFrame(frame: Frame, what = 'frame'): void {
  if (frame === null || typeof frame !== 'object' || !(frame.data instanceof Uint8Array)) {
    throw new InvalidInputError(`${what} must be an object { data: Uint8Array, width, height } of RGB bytes`);
  }
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new InvalidInputError(
      `${what} has size ${width}x${height}; width and height must be positive integers`,
    );
  }
  if (data.length !== width * height * 3) {
    const channels = data.length / (width * height);
    const hint = Number.isInteger(channels)
      ? ` (${channels} bytes per pixel: convert to RGB first, e.g. with readImage())`
      : '';
    throw new InvalidInputError(
      `${what} is ${width}x${height} but has ${data.length} bytes; an RGB frame needs ${width * height * 3}${hint}`,
    );
  }
}

/** Copies the pixels of `box` (clipped to the frame, rounded to whole pixels) into a new frame. */
export function cropFrame(frame: Frame, box: Box): Frame {
  const x1 = Math.max(0, Math.round(box[0]));
  const y1 = Math.max(0, Math.round(box[1]));
  const x2 = Math.min(frame.width, Math.round(box[2]));
  const y2 = Math.min(frame.height, Math.round(box[3]));
  if (!(x2 > x1 && y2 > y1)) {
    throw new InvalidInputError(
      `crop box [${box.join(', ')}] lies outside the ${frame.width}x${frame.height} frame`,
    );
  }
  const width = x2 - x1;
  const height = y2 - y1;
  const data = new Uint8Array(width * height * 3);
  const rowBytes = width * 3;
  for (let y = 0; y < height; y++) {
    const from = ((y1 + y) * frame.width + x1) * 3;
    data.set(frame.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return { data, width, height };
}
