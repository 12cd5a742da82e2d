import { type Point, readImage } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { MouthOpenDetector, mouthAspectRatio } from '../src/mouth.js';
import { ShapePredictor } from '../src/shape-predictor.js';
import { HELEN, helenFaces } from './helen.js';

/** 68 points with inner lips 40 px wide parted by `mar` x 40 px, face 140 px wide. */
function face(mar: number): Point[] {
  const points: Point[] = Array.from({ length: 68 }, () => [150, 100]);
  points[0] = [80, 100];
  points[16] = [220, 100];
  const h = (mar * 40) / 2;
  const xs = [130, 140, 150, 160, 170, 160, 150, 140];
  const ys = [200, 200 - h, 200 - h, 200 - h, 200, 200 + h, 200 + h, 200 + h];
  for (let i = 0; i < 8; i++) points[60 + i] = [xs[i], ys[i]];
  return points;
}

/** Feeds a MAR sequence at `fps` with ±0.01 jitter; returns the detector. */
function run(fps: number, mars: number[], d = new MouthOpenDetector()): MouthOpenDetector {
  mars.forEach((m, i) => d.update(face(Math.max(0, m + 0.01 * Math.sin(i * 1.3))), (i * 1000) / fps));
  return d;
}
const repeat = (n: number, v: number) => Array.from({ length: n }, () => v);

describe('mouth aspect ratio', () => {
  it('is the mean lip gap over the inner corners distance', () => {
    expect(mouthAspectRatio(face(0.5))).toBeCloseTo(0.5, 9);
    expect(mouthAspectRatio(face(0))).toBe(0);
    expect(() => mouthAspectRatio(face(0).slice(0, 60))).toThrow(/68-point layout/);
  });

  it('is small on closed HELEN mouths and large on open ones, by the annotations', (ctx) => {
    needFiles(ctx, HELEN);
    const mars = helenFaces(330).map((f) => mouthAspectRatio(f.points));
    const sorted = [...mars].sort((a, b) => a - b);
    // Portraits: most mouths closed or smiling, a few open.
    expect(sorted[sorted.length >> 1]).toBeLessThan(0.15);
    expect(sorted[sorted.length - 1]).toBeGreaterThan(0.4);
  });

  it("follows the annotations through dlib's points", async (ctx) => {
    needFiles(ctx, HELEN, DLIB_68_PATH);
    const sp = await ShapePredictor.load(DLIB_68_PATH);
    try {
      const faces = helenFaces(40);
      const pairs = [];
      for (const { image, points } of faces) {
        const predicted = sp.predictFromStart(await readImage(image), sp.boxFromShape(points));
        pairs.push([mouthAspectRatio(points), mouthAspectRatio(predicted)]);
      }
      const meanAbs = pairs.reduce((s, [a, b]) => s + Math.abs(a - b), 0) / pairs.length;
      expect(meanAbs).toBeLessThan(0.05);
    } finally {
      await sp.close();
    }
  });
});

describe('MouthOpenDetector', () => {
  it('counts an opening held 0.2-4 s, once, with hysteresis', () => {
    const d = run(30, [...repeat(30, 0.03), ...repeat(20, 0.5), ...repeat(30, 0.03)]);
    expect(d.openings).toBe(1);
    expect(d.baseline()).toBeCloseTo(0.03, 1);
  });

  it('ignores speech-sized movements and too-short openings', () => {
    const talk = Array.from({ length: 90 }, (_, i) => 0.05 + 0.12 * Math.abs(Math.sin(i / 3)));
    expect(run(30, [...repeat(30, 0.03), ...talk]).openings).toBe(0);
    expect(run(30, [...repeat(30, 0.03), ...repeat(3, 0.6), ...repeat(30, 0.03)]).openings).toBe(0);
  });

  it('does not close on a dip between the two margins', () => {
    const d = new MouthOpenDetector();
    const seq = [
      ...repeat(30, 0.03),
      ...repeat(10, 0.5),
      ...repeat(5, 0.2),
      ...repeat(10, 0.5),
      ...repeat(30, 0.03),
    ];
    const opens: boolean[] = [];
    seq.forEach((m, i) => opens.push(d.update(face(m), (i * 1000) / 30).open));
    expect(d.openings).toBe(1);
    expect(opens.slice(40, 45).every(Boolean)).toBe(true);
  });

  it('needs its baseline, a wide enough face and increasing timestamps', () => {
    const d = new MouthOpenDetector();
    expect(d.update(face(0.03), 0).observable).toBe(false);
    expect(() => d.update(face(0.03), 0)).toThrow(/mouth detector timestamps must increase/);
    expect(() => new MouthOpenDetector({ openMargin: 0.1, closeMargin: 0.2 })).toThrow(
      /closeMargin < openMargin/,
    );
    expect(() => new MouthOpenDetector({ minOpenMs: -1 })).toThrow(/minOpenMs must be a non-negative/);
  });
});
