import { InvalidInputError } from './errors.js';
import { assertFrame, type Frame } from './frame.js';
import type { Box, Point } from './geometry.js';

/** A turn by a multiple of 90 degrees, clockwise. */
export type Rotation = 0 | 90 | 180 | 270;

export const ROTATIONS: readonly Rotation[] = [0, 90, 180, 270];

function checkRotation(rotation: number): asserts rotation is Rotation {
  if (!ROTATIONS.includes(rotation as Rotation)) {
    throw new InvalidInputError(`rotation must be 0, 90, 180 or 270 degrees, got ${rotation}`);
  }
}

/** The rotation that undoes `rotation`. */
export function inverseRotation(rotation: Rotation): Rotation {
  return ((360 - rotation) % 360) as Rotation;
}

/**
 * The frame turned clockwise by `rotation`: exact pixel moves, no resampling (a 90 or 270 degree
 * turn swaps width and height). Rotation 0 returns the frame itself.
 */
export function rotateFrame(frame: Frame, rotation: Rotation): Frame {
  assertFrame(frame);
  checkRotation(rotation);
  if (rotation === 0) return frame;
  const { data, width, height } = frame;
  const out = new Uint8Array(data.length);
  const outWidth = rotation === 180 ? width : height;
  // Where source pixel (x, y) lands, as a start and a step along a source row, in output pixels.
  const [start, stepX, stepY] =
    rotation === 90
      ? [height - 1, outWidth, -1]
      : rotation === 180
        ? [width * height - 1, -1, -width]
        : [(width - 1) * outWidth, -outWidth, 1];
  let from = 0;
  for (let y = 0; y < height; y++) {
    let to = start + y * stepY;
    for (let x = 0; x < width; x++) {
      const o = to * 3;
      out[o] = data[from];
      out[o + 1] = data[from + 1];
      out[o + 2] = data[from + 2];
      from += 3;
      to += stepX;
    }
  }
  return rotation === 180 ? { data: out, width, height } : { data: out, width: height, height: width };
}

/**
 * Where a point of a `width` x `height` frame lies once the frame is turned by `rotation`
 * ({@link rotateFrame}). Coordinates are continuous (pixel i spans [i, i + 1)), so boxes map
 * exactly; map back with {@link inverseRotation} and the turned frame's size.
 */
export function rotatePoint(
  point: readonly number[],
  rotation: Rotation,
  width: number,
  height: number,
): Point {
  const [x, y] = point;
  switch (rotation) {
    case 90:
      return [height - y, x];
    case 180:
      return [width - x, height - y];
    case 270:
      return [y, width - x];
    default:
      return [x, y];
  }
}

/** A box of a `width` x `height` frame in the frame turned by `rotation` (still axis-aligned). */
export function rotateBox(box: Box, rotation: Rotation, width: number, height: number): Box {
  const [ax, ay] = rotatePoint([box[0], box[1]], rotation, width, height);
  const [bx, by] = rotatePoint([box[2], box[3]], rotation, width, height);
  return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
}
