import { describe, expect, it } from 'vitest';
import { readImage } from '../src/image.js';
import { resizeBilinear } from '../src/resize.js';
import { needFiles, sharedPath } from '../src/testing.js';

describe('resizeBilinear', () => {
  it('reproduces OpenCV INTER_LINEAR on a real webcam frame (decoded by sharp, resized here)', async (ctx) => {
    const source = sharedPath('data/nuaa/real/0001/0001_00_00_01_0.jpg');
    const reference = sharedPath('fixtures/res10/inputs-300/000_0001_0001_00_00_01_0.png');
    needFiles(ctx, source, reference);
    const ours = resizeBilinear(await readImage(source), 300, 300);
    const theirs = await readImage(reference);
    let max = 0;
    let differing = 0;
    for (let i = 0; i < ours.data.length; i++) {
      const d = Math.abs(ours.data[i] - theirs.data[i]);
      max = Math.max(max, d);
      if (d) differing++;
    }
    expect(max).toBeLessThanOrEqual(1);
    expect(differing / ours.data.length).toBeLessThan(0.01);
  });

  it('keeps a constant image constant and an identity resize exact', () => {
    const data = new Uint8Array(7 * 5 * 3).map((_, i) => (i * 37) % 256);
    const frame = { data, width: 7, height: 5 };
    expect(resizeBilinear(frame, 7, 5).data).toEqual(data);
    const flat = { data: new Uint8Array(9 * 4 * 3).fill(200), width: 9, height: 4 };
    for (const [w, h] of [
      [3, 2],
      [20, 11],
      [1, 1],
    ]) {
      expect(resizeBilinear(flat, w, h).data.every((v) => v === 200)).toBe(true);
    }
  });

  it('rejects bad target sizes and malformed frames', () => {
    const frame = { data: new Uint8Array(12), width: 2, height: 2 };
    expect(() => resizeBilinear(frame, 0, 5)).toThrow(/positive integers/);
    expect(() => resizeBilinear(frame, Number.NaN, 5)).toThrow(/positive integers/);
    expect(() => resizeBilinear({ data: new Uint8Array(16), width: 2, height: 2 }, 4, 4)).toThrow(
      /4 bytes per pixel/,
    );
  });
});
