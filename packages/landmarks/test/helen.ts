import { readdirSync, readFileSync } from 'node:fs';
import type { Point } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';

export const HELEN = sharedPath('data/landmarks-300w/helen-test');

/** The first `n` HELEN test images (sorted by name), with their 68 annotated points in 0-based pixels. */
export function helenFaces(n: number): { image: string; points: Point[] }[] {
  return readdirSync(HELEN)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, n)
    .map((f) => {
      const lines = readFileSync(`${HELEN}/${f.replace(/\.jpg$/, '.pts')}`, 'utf8').split('\n');
      const start = lines.findIndex((l) => l.trim() === '{') + 1;
      const points = lines.slice(start, start + 68).map(
        (l) =>
          l
            .trim()
            .split(/\s+/)
            .map((v) => Number(v) - 1) as unknown as Point,
      );
      return { image: `${HELEN}/${f}`, points };
    });
}
