/** An axis-aligned box in pixels: left, top, right, bottom (right/bottom exclusive). */
export type Box = [x1: number, y1: number, x2: number, y2: number];

/** A point in pixels of a frame. */
export type Point = [x: number, y: number];

/** Clips a box to a `width` x `height` frame. */
export function clipBox(box: Box, width: number, height: number): Box {
  return [
    Math.min(Math.max(box[0], 0), width),
    Math.min(Math.max(box[1], 0), height),
    Math.min(Math.max(box[2], 0), width),
    Math.min(Math.max(box[3], 0), height),
  ];
}

/** Area of a box; 0 for an empty or inverted one. */
export function boxArea(box: readonly number[]): number {
  return box[2] <= box[0] || box[3] <= box[1] ? 0 : (box[2] - box[0]) * (box[3] - box[1]);
}

/** Intersection over union of two boxes in the same units (no +1 pixel convention); 0 when disjoint. */
export function iou(a: readonly number[], b: readonly number[]): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** The fraction of `inner`'s area that lies inside `outer` (0 for an empty `inner`). */
export function containedFraction(inner: Box, outer: Box): number {
  const w = Math.min(inner[2], outer[2]) - Math.max(inner[0], outer[0]);
  const h = Math.min(inner[3], outer[3]) - Math.max(inner[1], outer[1]);
  const area = boxArea(inner);
  return w > 0 && h > 0 && area > 0 ? (w * h) / area : 0;
}

/** Scales a box's coordinates by `sx` horizontally and `sy` vertically (e.g. from a resized frame back to the original). */
export function scaleBox(box: Box, sx: number, sy = sx): Box {
  return [box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy];
}

/** The mean of a set of points. */
export function centroid(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}
