import type { Point } from '@face-liveness/core';
import { eyeAspectRatios } from '@face-liveness/landmarks';

/** Mean eye aspect ratio of both eyes, for the overlay and the report. */
export function meanEar(points: readonly Point[]): number | undefined {
  if (points.length < 48) return undefined;
  const [right, left] = eyeAspectRatios(points as Point[]);
  return (right + left) / 2;
}
