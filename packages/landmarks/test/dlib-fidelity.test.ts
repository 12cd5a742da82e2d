import { readFile } from 'node:fs/promises';
import { readImage } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { serializeShapePredictor } from '../src/model.js';
import { ShapePredictor } from '../src/shape-predictor.js';

const FIXTURE = sharedPath('fixtures/dlib68/dlib-hog-shape68.jsonl');

interface FixtureFace {
  rect: [number, number, number, number];
  points: [number, number][];
}

let loaded: Promise<ShapePredictor> | undefined;
const predictor = () => {
  loaded ??= ShapePredictor.load(DLIB_68_PATH, { cache: false });
  return loaded;
};

describe("fidelity with dlib's own shape_predictor (dlib 19.24 output for given rects)", () => {
  it('reads the 68-point model and re-serialises it to the same bytes', async (ctx) => {
    needFiles(ctx, DLIB_68_PATH);
    const sp = await predictor();
    expect(sp.numParts).toBe(68);
    expect(sp.model.cascades.length).toBe(15);
    // Buffer.equals: vitest's deep equality walks 100 MB element by element
    const same = Buffer.from(serializeShapePredictor(sp.model)).equals(await readFile(DLIB_68_PATH));
    expect(same).toBe(true);
  });

  it('puts >= 99% of points within 1 px of dlib and all within 3 px', async (ctx) => {
    needFiles(ctx, DLIB_68_PATH, FIXTURE);
    const sp = await predictor();
    const records = (await readFile(FIXTURE, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { image: string; faces?: FixtureFace[] });
    let total = 0;
    let within1 = 0;
    let worst = 0;
    for (const record of records) {
      if (!record.faces?.length) continue;
      const frame = await readImage(sharedPath(record.image));
      for (const face of record.faces) {
        const [l, t, r, b] = face.rect;
        const points = sp.predict(frame, [l, t, r + 1, b + 1]);
        points.forEach(([x, y], i) => {
          // dlib rounds with floor(v + 0.5)
          const d = Math.hypot(
            Math.floor(x + 0.5) - face.points[i][0],
            Math.floor(y + 0.5) - face.points[i][1],
          );
          total++;
          if (d <= 1) within1++;
          worst = Math.max(worst, d);
        });
      }
    }
    expect(total).toBeGreaterThan(30_000);
    expect(within1 / total).toBeGreaterThanOrEqual(0.99);
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('gives the same points, bit for bit, in JavaScript as in WebAssembly', async (ctx) => {
    needFiles(ctx, DLIB_68_PATH, FIXTURE);
    const sp = await predictor();
    const js = new ShapePredictor(sp.model, { webAssembly: false });
    const records = (await readFile(FIXTURE, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { image: string; faces?: FixtureFace[] })
      .filter((r) => r.faces?.length)
      .slice(0, 10);
    for (const record of records) {
      const frame = await readImage(sharedPath(record.image));
      for (const { rect } of record.faces ?? []) {
        const box: [number, number, number, number] = [rect[0], rect[1], rect[2] + 1, rect[3] + 1];
        expect(js.predict(frame, box)).toEqual(sp.predict(frame, box));
      }
    }
  });
});
