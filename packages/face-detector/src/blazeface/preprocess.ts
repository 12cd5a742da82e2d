import { type Frame, resizeBilinear } from '@face-liveness/core';

/** The model input and how to map its normalised coordinates back to frame pixels. */
export interface LetterboxedInput {
  /** NHWC float32 [1, size, size, 3] in [-1, 1]. */
  tensor: Float32Array;
  /** Side of the square the frame was centred in, in the given frame's pixels. */
  side: number;
  /** Frame position of the square's top-left corner (<= 0: the black border). */
  left: number;
  top: number;
}

/** Longest side the padded square is built at: 2048 keeps 1080p and 1440p frames exact, and the square under 13 MB. */
export const MAX_SQUARE_SIDE = 2048;

/**
 * MediaPipe's `ImageToTensorCalculator` with `keep_aspect_ratio: true`, `BORDER_ZERO` and
 * range [-1, 1]: the frame is centred in a black square, resized bilinearly to `size`, and
 * each byte v becomes v / 127.5 - 1.
 */
export function letterbox(original: Frame, size: number): LetterboxedInput {
  // The square is built at the frame's own resolution, as MediaPipe does (its resampling at the
  // frame's edges decides borderline faces); a frame with a longer side than MAX_SQUARE_SIDE is
  // downscaled first, so that a 20000x200 frame does not become a 1.2 GB square.
  const shrink = Math.min(1, MAX_SQUARE_SIDE / Math.max(original.width, original.height));
  const frame =
    shrink < 1
      ? resizeBilinear(
          original,
          Math.max(1, Math.round(original.width * shrink)),
          Math.max(1, Math.round(original.height * shrink)),
        )
      : original;
  const scale = original.width / frame.width;
  const side = Math.max(frame.width, frame.height);
  const left = -Math.floor((side - frame.width) / 2);
  const top = -Math.floor((side - frame.height) / 2);
  let square = frame;
  if (frame.width !== frame.height) {
    const data = new Uint8Array(side * side * 3);
    const rowBytes = frame.width * 3;
    for (let y = 0; y < frame.height; y++) {
      data.set(frame.data.subarray(y * rowBytes, (y + 1) * rowBytes), ((y - top) * side - left) * 3);
    }
    square = { data, width: side, height: side };
  }
  const resized = resizeBilinear(square, size, size);
  const tensor = new Float32Array(resized.data.length);
  for (let i = 0; i < tensor.length; i++) tensor[i] = resized.data[i] / 127.5 - 1;
  return { tensor, side: side * scale, left: left * scale, top: top * scale };
}
