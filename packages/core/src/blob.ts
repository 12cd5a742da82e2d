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
  columns: Int32Array;
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
  const [m0, m1, m2] = options.mean ?? [0, 0, 0];
  const scale = options.scale ?? 1;
  // Source byte offset within a pixel of planes 0 and 2.
  const bgr = options.channelOrder === 'bgr';
  const c0 = bgr ? 2 : 0;
  const c2 = bgr ? 0 : 2;
  const key = `${frame.width}x${frame.height}>${width}x${height}`;
  if (grid?.key !== key) {
    grid = { key, columns: columnTaps(frame.width, width), rows: linearTaps(frame.height, height) };
  }
  const { columns, rows } = grid;
  const rowBytes = frame.width * 3;
  for (let y = 0; y < height; y++) {
    const b = rows.weight[y];
    const r0 = rows.index[y] * rowBytes;
    // A zero weight may sit on the last row: never read past it.
    const r1 = b === 0 ? r0 : r0 + rowBytes;
    blobRow(
      frame.data,
      r0,
      r1,
      COEF_SCALE - b,
      b,
      columns,
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

/** [offset, next offset, weight, next weight] per output column, in source bytes. */
function columnTaps(src: number, dst: number): Int32Array {
  const { index, weight } = linearTaps(src, dst);
  const taps = new Int32Array(4 * dst);
  for (let x = 0; x < dst; x++) {
    const o = index[x] * 3;
    const b = weight[x];
    taps.set([o, b === 0 ? o : o + 3, COEF_SCALE - b, b], 4 * x);
  }
  return taps;
}

// Kept apart from frameToBlob and given everything as arguments: V8 compiles this loop much
// better that way (about 2x against the same code inside the row loop).
function blobRow(
  src: Uint8Array,
  r0: number,
  r1: number,
  va: number,
  vb: number,
  taps: Int32Array,
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
  const end = o + (taps.length >> 2);
  for (let k = 0; o < end; o++, k += 4) {
    const s0 = r0 + taps[k];
    const n0 = r0 + taps[k + 1];
    const s1 = r1 + taps[k];
    const n1 = r1 + taps[k + 1];
    const a = taps[k + 2];
    const b = taps[k + 3];
    out[o] = (mix(src, s0 + c0, n0 + c0, s1 + c0, n1 + c0, a, b, va, vb) - m0) * scale;
    out[plane + o] = (mix(src, s0 + 1, n0 + 1, s1 + 1, n1 + 1, a, b, va, vb) - m1) * scale;
    out[2 * plane + o] = (mix(src, s0 + c2, n0 + c2, s1 + c2, n1 + c2, a, b, va, vb) - m2) * scale;
  }
}

/**
 * One output byte: horizontal then vertical, with the rounding of resizeBilinearRows (OpenCV's
 * SIMD path). It never exceeds 255, so no clamp is needed.
 */
function mix(
  src: Uint8Array,
  s0: number,
  n0: number,
  s1: number,
  n1: number,
  a: number,
  b: number,
  va: number,
  vb: number,
): number {
  const top = (src[s0] * a + src[n0] * b) >> 4;
  const bottom = (src[s1] * a + src[n1] * b) >> 4;
  return (((top * va) >> 16) + ((bottom * vb) >> 16) + 2) >> 2;
}
