import type { DetectedFace } from '@face-liveness/core';

const round = (v: number) => Math.round(v * 100) / 100;

/** One `detect` line: the image's size and each face's box (2 decimals) and score (4). */
export function detectionLine(
  image: string,
  frame: { width: number; height: number },
  found: readonly DetectedFace[],
  json?: boolean,
): string {
  const faces = found.map((f) => ({ box: f.box.map(round), score: Math.round(f.score * 1e4) / 1e4 }));
  if (json) return JSON.stringify({ image, width: frame.width, height: frame.height, faces });
  const list = faces.map((f) => `\n  [${f.box.join(', ')}] ${f.score}`).join('');
  return `${image} (${frame.width}x${frame.height}): ${faces.length} face(s)${list}`;
}
