import { InvalidInputError } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { type BlinkCounter, BlinkDetector, originalBlinkCounter } from '../src/blink.js';
import { eyeAspectRatios } from '../src/ear.js';
import type { Point } from '../src/shape-predictor.js';

/** 68 points whose right and left eyes have exactly these aspect ratios (eyes 30 px wide, face `width`). */
function face(right: number, left = right, width = 140): Point[] {
  const points: Point[] = Array.from({ length: 68 }, () => [0, 0]);
  points[0] = [150 - width / 2, 100];
  points[16] = [150 + width / 2, 100];
  const eye = (first: number, x0: number, ear: number) => {
    const h = (ear * 30) / 2;
    const xs = [0, 10, 20, 30, 20, 10];
    const ys = [0, -h, -h, 0, h, h];
    for (let i = 0; i < 6; i++) points[first + i] = [x0 + xs[i], 100 + ys[i]];
  };
  eye(36, 100, right);
  eye(42, 160, left);
  return points;
}

/** Feeds an EAR sequence at `fps`, with ±0.01 jitter on open eyes; returns the blink count. */
function run(
  fps: number,
  ears: Array<number | [number, number]>,
  counter: BlinkCounter = new BlinkDetector(),
): number {
  ears.forEach((e, i) => {
    const [r, l] = typeof e === 'number' ? [e, e] : e;
    const jitter = r > 0.2 ? 0.01 * Math.sin(i * 1.7) : 0;
    counter.update(face(r + jitter, l - jitter), (i * 1000) / fps);
  });
  return counter.blinks;
}
const repeat = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

describe('eye aspect ratio', () => {
  it('follows the original formula', () => {
    const [r, l] = eyeAspectRatios(face(0.3, 0.1));
    expect(r).toBeCloseTo(0.3, 10);
    expect(l).toBeCloseTo(0.1, 10);
  });
});

describe('BlinkDetector', () => {
  it('counts a 150 ms blink at 30 fps and at 7.5 fps', () => {
    expect(run(30, [...repeat(60, 0.3), ...repeat(5, 0.05), ...repeat(30, 0.3)])).toBe(1);
    expect(run(7.5, [...repeat(15, 0.3), 0.05, ...repeat(8, 0.3)])).toBe(1);
  });

  it('adapts to narrow eyes (open EAR 0.2) where a fixed 0.3 threshold is meaningless', () => {
    const ears = [
      ...repeat(60, 0.2),
      ...repeat(6, 0.04),
      ...repeat(60, 0.2),
      ...repeat(4, 0.05),
      ...repeat(30, 0.2),
    ];
    expect(run(30, ears)).toBe(2);
  });

  it('ignores winks, one-frame glitches at 30 fps and long closures', () => {
    expect(
      run(30, [...repeat(60, 0.3), ...repeat(5, [0.05, 0.3] as [number, number]), ...repeat(30, 0.3)]),
    ).toBe(0);
    expect(run(30, [...repeat(60, 0.3), 0.05, ...repeat(30, 0.3)])).toBe(0);
    expect(run(30, [...repeat(60, 0.3), ...repeat(30, 0.05), ...repeat(30, 0.3)])).toBe(0);
  });

  it('needs a baseline before counting', () => {
    expect(run(30, [0.3, 0.05, 0.05, 0.05, 0.3, 0.3])).toBe(0);
  });

  it('says when a blink could be seen: baseline known, face wide enough, frames close enough', () => {
    const observable = (width: number, fps: number) => {
      const d = new BlinkDetector();
      return Array.from(
        { length: 6 },
        (_, i) => d.update(face(0.3, 0.3, width), (i * 1000) / fps).observable,
      );
    };
    // The first frames build the baseline (3 frames by default).
    expect(observable(140, 30)).toEqual([false, false, false, true, true, true]);
    expect(observable(60, 30)).toEqual(Array(6).fill(false));
    expect(observable(140, 2)).toEqual(Array(6).fill(false));
    expect(new BlinkDetector().update(face(Number.NaN), 0).observable).toBe(false);
  });

  it('rejects timestamps that do not increase and bad options', () => {
    const d = new BlinkDetector();
    d.update(face(0.3), 10);
    expect(() => d.update(face(0.3), 10)).toThrow(InvalidInputError);
    expect(() => new BlinkDetector({ closeRatio: 0.9, openRatio: 0.8 })).toThrow(InvalidInputError);
    expect(() => new BlinkDetector({ minClosureMs: 500, maxClosureMs: 400 })).toThrow(InvalidInputError);
  });
});

describe('originalBlinkCounter', () => {
  it('counts each eye: one blink of 3 frames below 0.30 counts 2; a 1-frame dip counts 0', () => {
    expect(run(30, [...repeat(5, 0.35), ...repeat(3, 0.2), ...repeat(5, 0.35)], originalBlinkCounter())).toBe(
      2,
    );
    expect(run(30, [...repeat(5, 0.35), 0.2, ...repeat(5, 0.35)], originalBlinkCounter())).toBe(0);
  });
});
