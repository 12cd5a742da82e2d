import type { Point } from '@face-liveness/core';
import { InvalidInputError } from '@face-liveness/core';

/** First point of each eye in the 68-point (iBUG 300-W) layout: the subject's right eye, then left. */
export const RIGHT_EYE = 36;
export const LEFT_EYE = 42;

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * The eye aspect ratio of Soukupová and Čech (2016), as the original project computes it:
 * (|p2 - p6| + |p3 - p5|) / (2 |p1 - p4|) over the six points of one eye starting at `first`
 * (36 for the right eye, 42 for the left). About 0.25-0.35 open, near 0 closed.
 */
export function eyeAspectRatio(points: readonly Point[], first: number): number {
  if (points.length < first + 6) {
    throw new InvalidInputError(`eye aspect ratio needs the 68-point layout; got ${points.length} points`);
  }
  const [p1, p2, p3, p4, p5, p6] = points.slice(first, first + 6);
  return (dist(p2, p6) + dist(p3, p5)) / (2 * dist(p1, p4));
}

/** Both eyes' aspect ratios: `[right, left]` (the subject's). */
export function eyeAspectRatios(points: readonly Point[]): [right: number, left: number] {
  return [eyeAspectRatio(points, RIGHT_EYE), eyeAspectRatio(points, LEFT_EYE)];
}
