import { type Box, clipBox, type Frame } from '@face-liveness/core';

/** The side of the square grey patch a face is resampled to before its sharpness is measured. */
export const SHARPNESS_SIDE = 128;

/** Luma (Rec. 601) of a region of the frame, row-major, `width` x `height`. */
function luma(frame: Frame, [x1, y1, x2, y2]: Box): { values: Float32Array; width: number; height: number } {
  const width = x2 - x1;
  const height = y2 - y1;
  const values = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = ((y1 + y) * frame.width + x1 + x) * 3;
      values[y * width + x] = 0.299 * frame.data[o] + 0.587 * frame.data[o + 1] + 0.114 * frame.data[o + 2];
    }
  }
  return { values, width, height };
}

/** The box shrunk by `inset` of its size on every side, clipped and rounded to whole pixels; undefined when empty. */
function innerBox(box: Box, inset: number, frame: Frame): Box | undefined {
  const dx = (box[2] - box[0]) * inset;
  const dy = (box[3] - box[1]) * inset;
  const [x1, y1, x2, y2] = clipBox(
    [box[0] + dx, box[1] + dy, box[2] - dx, box[3] - dy],
    frame.width,
    frame.height,
  );
  const r: Box = [Math.round(x1), Math.round(y1), Math.round(x2), Math.round(y2)];
  return r[2] - r[0] >= 2 && r[3] - r[1] >= 2 ? r : undefined;
}

/**
 * A grey patch resampled to `side` x `side`: each output pixel is the mean of the input pixels it
 * covers (so a large face is not aliased into false detail), or a bilinear sample when the face is
 * smaller than the patch.
 */
function resample(grey: { values: Float32Array; width: number; height: number }, side: number): Float32Array {
  const { values, width, height } = grey;
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      integral[(y + 1) * (width + 1) + x + 1] = integral[y * (width + 1) + x + 1] + row;
    }
  }
  const out = new Float32Array(side * side);
  const sx = width / side;
  const sy = height / side;
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      if (sx >= 1 && sy >= 1) {
        const x0 = Math.floor(i * sx);
        const x1 = Math.max(x0 + 1, Math.floor((i + 1) * sx));
        const y0 = Math.floor(j * sy);
        const y1 = Math.max(y0 + 1, Math.floor((j + 1) * sy));
        const w = width + 1;
        const sum =
          integral[y1 * w + x1] - integral[y0 * w + x1] - integral[y1 * w + x0] + integral[y0 * w + x0];
        out[j * side + i] = sum / ((x1 - x0) * (y1 - y0));
      } else {
        const x = Math.min(Math.max((i + 0.5) * sx - 0.5, 0), width - 1);
        const y = Math.min(Math.max((j + 0.5) * sy - 0.5, 0), height - 1);
        const xa = Math.floor(x);
        const ya = Math.floor(y);
        const xb = Math.min(xa + 1, width - 1);
        const yb = Math.min(ya + 1, height - 1);
        const fx = x - xa;
        const fy = y - ya;
        const top = values[ya * width + xa] * (1 - fx) + values[ya * width + xb] * fx;
        const bottom = values[yb * width + xa] * (1 - fx) + values[yb * width + xb] * fx;
        out[j * side + i] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/** What {@link measureFace} finds in a face's box. */
export interface FaceMeasures {
  /** Variance of the 4-neighbour Laplacian of the face resampled to 128 x 128 grey levels. */
  sharpness: number;
  /** Mean luma (0-255) of the face's inner box. */
  brightness: number;
  /** Fraction of the inner box's pixels at or under luma 5 or at or over 250. */
  clipped: number;
}

/**
 * Sharpness and exposure of the face in `box`, measured on the inner 80% of the box (a detector's
 * box holds some background at its sides) so that a bright wall or a dark room behind the face
 * does not count. Undefined when the box holds fewer than 2 x 2 pixels of the frame.
 */
export function measureFace(frame: Frame, box: Box): FaceMeasures | undefined {
  const inner = innerBox(box, 0.1, frame);
  if (!inner) return undefined;
  const grey = luma(frame, inner);
  let sum = 0;
  let clipped = 0;
  for (const v of grey.values) {
    sum += v;
    if (v <= 5 || v >= 250) clipped++;
  }
  const n = SHARPNESS_SIDE;
  const patch = resample(grey, n);
  let s = 0;
  let s2 = 0;
  for (let y = 1; y < n - 1; y++) {
    for (let x = 1; x < n - 1; x++) {
      const i = y * n + x;
      const lap = patch[i - 1] + patch[i + 1] + patch[i - n] + patch[i + n] - 4 * patch[i];
      s += lap;
      s2 += lap * lap;
    }
  }
  const count = (n - 2) * (n - 2);
  return {
    sharpness: s2 / count - (s / count) ** 2,
    brightness: sum / grey.values.length,
    clipped: clipped / grey.values.length,
  };
}
