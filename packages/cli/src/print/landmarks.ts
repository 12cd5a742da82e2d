import type { FaceLandmarks } from '../options/landmarks.js';

const round = (v: number) => Math.round(v * 100) / 100;

/** One `landmarks` line: the face's box and its points, 2 decimals. */
export function landmarksLine({ image, box, points }: FaceLandmarks, json?: boolean): string {
  const rounded = points.map(([x, y]) => [round(x), round(y)]);
  if (json) return JSON.stringify({ image, box: box.map(round), points: rounded });
  return `${image} [${box.map(round).join(', ')}]: ${rounded.map((p) => p.join(',')).join(' ')}`;
}
