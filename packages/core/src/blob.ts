import { InvalidInputError } from './errors.js';
import type { Frame } from './frame.js';
import { assertFrame } from './frame.js';
import type { Taps } from './resize.js';
import { COEF_SCALE, linearTaps } from './resize.js';

/** What {@link frameToBlob} makes of a frame; the same knobs as OpenCV's `cv2.dnn.blobFromImage`. */
export interface BlobOptions {
  width: number;
  height: number;
  /** Channel order of the planes. Default `'rgb'`; `'bgr'` is OpenCV's (blobFromImage without swapRB). */
  channelOrder?: 'rgb' | 'bgr';
  /** Subtracted from each plane, in plane order. Default [0, 0, 0]. */
  mean?: readonly [number, number, number];
  /** Multiplies each value after the mean is subtracted. Default 1. */
  scale?: number;
}

interface Grid {
  key: string;
  columns: Taps;
  rows: Taps;
}
// The taps of the last size pair: the frames of one stream share them.
let grid: Grid | undefined;

/**
 * A planar float32 tensor [3, height, width] (NCHW without the batch axis) from an RGB frame:
 * `(resized - mean) * scale`, the resize equal to {@link resizeBilinear} value for value. One pass
 * over the output with no intermediate image, writing into `out` when given (length 3*width*height),
 * so a caller feeding a network every frame allocates nothing.
 */
export function frameToBlob(frame: Frame, options: BlobOptions, out?: Float32Array): Float32Array {
  assertFrame(frame);
  const { width, height } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new InvalidInputError(`blob size ${width}x${height} must be positive integers`);
  }
  const plane = width * height;
  const blob = out ?? new Float32Array(3 * plane);
  if (blob.length !== 3 * plane) {
    throw new InvalidInputError(`blob buffer holds ${blob.length} values, expected 3x${height}x${width}`);
  }
  // Every column reads its pixel and the next one; a one-pixel-wide frame has no next, and
  // doubling its column changes no value (both taps then read the same pixel).
  const source = frame.width === 1 ? doubleColumn(frame) : frame;
  const [m0, m1, m2] = options.mean ?? [0, 0, 0];
  const scale = options.scale ?? 1;
  // Source byte offset within a pixel of planes 0 and 2.
  const bgr = options.channelOrder === 'bgr';
  const c0 = bgr ? 2 : 0;
  const c2 = bgr ? 0 : 2;
  const key = `${source.width}x${source.height}>${width}x${height}`;
  if (grid?.key !== key) {
    grid = { key, columns: columnTaps(source.width, width), rows: linearTaps(source.height, height) };
  }
  const { columns, rows } = grid;
  const rowBytes = source.width * 3;
  for (let y = 0; y < height; y++) {
    const b = rows.weight[y];
    const r0 = rows.index[y] * rowBytes;
    // A zero weight may sit on the last row: never read past it.
    const r1 = b === 0 ? r0 : r0 + rowBytes;
    blobRow(
      source.data,
      r0,
      r1,
      b,
      columns.index,
      columns.weight,
      blob,
      y * width,
      plane,
      c0,
      c2,
      m0,
      m1,
      m2,
      scale,
    );
  }
  return blob;
}

/**
 * Byte offsets and weights of the columns, each reading its pixel and the next: a column clamped
 * to the last pixel (weight 0 on a next that does not exist) reads the one before it with all the
 * weight on the last instead, the same value. One tap fewer per pixel than a separate next offset.
 */
function columnTaps(src: number, dst: number): Taps {
  const { index, weight } = linearTaps(src, dst);
  for (let x = 0; x < dst; x++) {
    if (index[x] === src - 1) {
      index[x] = src - 2;
      weight[x] = COEF_SCALE;
    }
    index[x] *= 3;
  }
  return { index, weight };
}

function doubleColumn(frame: Frame): Frame {
  const data = new Uint8Array(frame.height * 6);
  for (let i = 0; i < frame.height * 3; i += 3) {
    data.set(frame.data.subarray(i, i + 3), 2 * i);
    data.set(frame.data.subarray(i, i + 3), 2 * i + 3);
  }
  return { data, width: 2, height: frame.height };
}

// Kept apart from frameToBlob and given everything as arguments: V8 compiles this loop much
// better that way (about 2x against the same code inside the row loop).
function blobRow(
  src: Uint8Array,
  r0: number,
  r1: number,
  vb: number,
  index: Int32Array,
  weight: Int32Array,
  out: Float32Array,
  o: number,
  plane: number,
  c0: number,
  c2: number,
  m0: number,
  m1: number,
  m2: number,
  scale: number,
): void {
  // The weights of a pair sum to 2048 (COEF_SCALE, written out: an imported binding is read on
  // every use in V8's optimised code).
  const va = 2048 - vb;
  const end = o + index.length;
  for (let x = 0; o < end; x++, o++) {
    const s0 = r0 + index[x];
    const s1 = r1 + index[x];
    const b = weight[x];
    const a = 2048 - b;
    out[o] = (mix(src, s0 + c0, s1 + c0, a, b, va, vb) - m0) * scale;
    out[plane + o] = (mix(src, s0 + 1, s1 + 1, a, b, va, vb) - m1) * scale;
    out[2 * plane + o] = (mix(src, s0 + c2, s1 + c2, a, b, va, vb) - m2) * scale;
  }
}

/**
 * One output byte from the pixels at `s0` (upper row) and `s1` (lower row) and their right
 * neighbours: horizontal then vertical, with the rounding of resizeBilinear (OpenCV's SIMD
 * path). It never exceeds 255, so no clamp is needed.
 */
function mix(src: Uint8Array, s0: number, s1: number, a: number, b: number, va: number, vb: number): number {
  const top = (src[s0] * a + src[s0 + 3] * b) >> 4;
  const bottom = (src[s1] * a + src[s1 + 3] * b) >> 4;
  return (((top * va) >> 16) + ((bottom * vb) >> 16) + 2) >> 2;
}
