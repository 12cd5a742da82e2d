import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { Annotator, faceLabel } from '../src/annotate.js';
import type { FaceResult, FrameResult } from '../src/types.js';

function face(
  verdict: FaceResult['verdict'],
  emaScore: number,
  box: FaceResult['box'] = [200, 120, 420, 380],
) {
  return {
    trackId: 3,
    box,
    detected: true,
    detectionScore: 1,
    verdict,
    reason: '',
    evidence: { emaScore, blinks: 2 },
  } as FaceResult;
}

describe('faceLabel', () => {
  it('says real with P(live) and fake with P(fake), and marks undecided faces by their leaning', () => {
    expect(faceLabel(face('live', 0.981))).toBe('real: 0.98');
    expect(faceLabel(face('spoof', 0.03))).toBe('fake: 0.97');
    expect(faceLabel(face('undecided', 0.7))).toBe('real?: 0.70');
    expect(faceLabel(face('undecided', 0.7), 0.8)).toBe('fake?: 0.30');
    expect(faceLabel(face('undecided', Number.NaN))).toBe('checking');
  });
});

describe('Annotator', () => {
  it('draws the box and the label in the verdict colour on a real frame, leaving the rest', async (ctx) => {
    const dir = sharedPath('data/nuaa/real/0003');
    needFiles(ctx, dir);
    const frame = await readImage(join(dir, readdirSync(dir)[0]));
    const result = { faces: [face('live', 0.98)], index: 0, timestampMs: 0 } as unknown as FrameResult;
    const drawn = new Annotator(frame.width, frame.height).draw(frame, result, 29.7);
    expect(drawn).toMatchObject({ width: frame.width, height: frame.height });
    const px = (f: typeof frame, x: number, y: number) =>
      Array.from(f.data.subarray((y * f.width + x) * 3, (y * f.width + x) * 3 + 3));
    // The left edge of the box is green.
    const [r, g, b] = px(drawn, 200, 250);
    expect(g).toBeGreaterThan(150);
    expect(r + b).toBeLessThan(150);
    // The label above the box and the FPS text changed pixels; the far corner did not.
    let changed = 0;
    for (let y = 90; y < 118; y++)
      for (let x = 200; x < 330; x++) if (px(drawn, x, y)[1] !== px(frame, x, y)[1]) changed++;
    expect(changed).toBeGreaterThan(200);
    expect(px(drawn, frame.width - 5, frame.height - 5)).toEqual(
      px(frame, frame.width - 5, frame.height - 5),
    );
    expect(() => new Annotator(10, 10).draw(frame, result)).toThrow(/annotator draws 10x10/);
  });
});
