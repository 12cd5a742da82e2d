import { readdirSync, readFileSync } from 'node:fs';
import { type Box, type Frame, type Point, readImage, resizeBilinear } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { assessFrameQuality, QUALITY_DEFAULTS } from '../src/quality/assess.js';
import { facePose } from '../src/quality/face-pose.js';
import { measureFace } from '../src/quality/measure.js';

const HELEN = sharedPath('data/landmarks-300w/helen-test');

/** A frame of one grey level with a checkerboard of `cell` px and contrast `amp` in [x1, x2) x [y1, y2). */
function board(width: number, height: number, grey: number, amp: number, cell: number, box: Box): Frame {
  const data = new Uint8Array(width * height * 3).fill(grey);
  for (let y = box[1]; y < box[3]; y++) {
    for (let x = box[0]; x < box[2]; x++) {
      const v = grey + ((Math.floor(x / cell) + Math.floor(y / cell)) % 2 ? amp : -amp);
      data.fill(Math.max(0, Math.min(255, v)), (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { data, width, height };
}

/** A box blur of radius `r` along rows (or columns), edges clamped. */
function boxBlur(frame: Frame, r: number, rows: boolean): Frame {
  const { width, height, data } = frame;
  const out = new Uint8Array(data.length);
  const [n, lines] = rows ? [width, height] : [height, width];
  const at = (line: number, i: number) => (rows ? line * width + i : i * width + line) * 3;
  for (let line = 0; line < lines; line++) {
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let i = -r; i <= r; i++) sum += data[at(line, Math.min(n - 1, Math.max(0, i))) + c];
      for (let i = 0; i < n; i++) {
        out[at(line, i) + c] = Math.round(sum / (2 * r + 1));
        sum += data[at(line, Math.min(n - 1, i + r + 1)) + c] - data[at(line, Math.max(0, i - r)) + c];
      }
    }
  }
  return { data: out, width, height };
}

const failed = (checks: { code: string; ok: boolean }[]) => checks.filter((c) => !c.ok).map((c) => c.code);

/** The first HELEN face: image, annotated points, and a box from them (brows to chin, jaw to jaw, plus a forehead). */
async function helenFace(): Promise<{ frame: Frame; points: Point[]; box: Box }> {
  const name = readdirSync(HELEN)
    .filter((f) => f.endsWith('.jpg'))
    .sort()[0];
  const lines = readFileSync(`${HELEN}/${name.replace(/\.jpg$/, '.pts')}`, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === '{') + 1;
  const points = lines.slice(start, start + 68).map(
    (l) =>
      l
        .trim()
        .split(/\s+/)
        .map((v) => Number(v) - 1) as Point,
  );
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const top = Math.min(...ys);
  const bottom = Math.max(...ys);
  const box: Box = [Math.min(...xs), top - 0.2 * (bottom - top), Math.max(...xs), bottom];
  return { frame: await readImage(`${HELEN}/${name}`), points, box };
}

describe('measureFace', () => {
  it('reads sharpness from detail and brightness and clipping from the inner box', () => {
    const box: Box = [20, 20, 220, 220];
    const sharp = measureFace(board(240, 240, 128, 40, 4, box), box);
    const flat = measureFace(board(240, 240, 128, 0, 4, box), box);
    expect(sharp?.sharpness).toBeGreaterThan(1000);
    expect(flat?.sharpness).toBe(0);
    expect(flat?.brightness).toBeCloseTo(128, 3);
    expect(measureFace(board(240, 240, 252, 0, 4, box), box)?.clipped).toBe(1);
    expect(measureFace(board(240, 240, 128, 0, 4, box), [0, 0, 1, 1])).toBeUndefined();
  });

  it('gives a face about the same sharpness at any size above 128 px', () => {
    const box: Box = [0, 0, 512, 512];
    const big = board(512, 512, 128, 40, 32, box);
    const small = resizeBilinear(big, 256, 256);
    const a = measureFace(big, box)?.sharpness as number;
    const b = measureFace(small, [0, 0, 256, 256])?.sharpness as number;
    expect(Math.abs(a - b) / a).toBeLessThan(0.15);
  });
});

describe('assessFrameQuality', () => {
  it('checks the number of faces', () => {
    const frame = board(64, 64, 128, 0, 4, [0, 0, 0, 0]);
    const none = assessFrameQuality(frame, []);
    expect(none.ok).toBe(false);
    expect(failed(none.frame)).toEqual(['no-face']);
    expect(none.frame[0].message).toMatch(/face the camera/);
    const two = assessFrameQuality(frame, [{ box: [0, 0, 10, 10] }, { box: [20, 20, 30, 30] }]);
    expect(failed(two.frame)).toEqual(['several-faces']);
    expect(
      assessFrameQuality(frame, [{ box: [0, 0, 10, 10] }, { box: [20, 20, 30, 30] }], {
        maxFaces: 2,
      }).frame.every((c) => c.ok),
    ).toBe(true);
  });

  it('says what to do about a small, flat, dark face, and leaves out checks it has no input for', () => {
    const frame = board(100, 100, 30, 0, 4, [0, 0, 0, 0]);
    const { faces } = assessFrameQuality(frame, [{ box: [10, 10, 60, 60] }]);
    expect(failed(faces[0].checks)).toEqual(['too-small', 'blurry', 'too-dark']);
    expect(faces[0].checks.find((c) => c.code === 'too-small')?.message).toMatch(/move closer/);
    expect(faces[0].checks.find((c) => c.code === 'too-dark')?.message).toMatch(/face a light/);
    expect(faces[0].checks.some((c) => c.code === 'turned' || c.code === 'eyes-closed')).toBe(false);
    for (const c of faces[0].checks) expect(c.ok === (c.message === undefined)).toBe(true);
  });

  it('checks pose and eyes when given', () => {
    const frame = board(300, 300, 128, 40, 3, [0, 0, 300, 300]);
    const { faces } = assessFrameQuality(frame, [
      { box: [50, 50, 250, 250], pose: { yaw: -45, pitch: 5, roll: 40 }, ear: 0.05 },
    ]);
    expect(failed(faces[0].checks)).toEqual(['turned', 'leaning', 'eyes-closed']);
  });

  it('refuses a bad limit', () => {
    const frame = board(10, 10, 128, 0, 4, [0, 0, 0, 0]);
    expect(() => assessFrameQuality(frame, [], { minSharpness: -1 })).toThrow(
      /minSharpness must be a number >= 0/,
    );
    expect(QUALITY_DEFAULTS.maxFaces).toBe(1);
  });

  it('passes a good HELEN face and fails it blurred, darkened, burnt out and shrunk', async (ctx) => {
    needFiles(ctx, HELEN);
    const { frame, points, box } = await helenFace();
    const good = assessFrameQuality(frame, [{ box, landmarks: points }]);
    expect(failed(good.faces[0].checks)).toEqual([]);
    expect(good.faces[0].checks.map((c) => c.code)).toContain('unsure-landmarks');
    const alter = (f: (v: number) => number): Frame => ({ ...frame, data: frame.data.map(f) });
    expect(
      failed(
        assessFrameQuality(
          alter((v) => v * 0.25),
          [{ box }],
        ).faces[0].checks,
      ),
    ).toContain('too-dark');
    expect(
      failed(
        assessFrameQuality(
          alter((v) => Math.min(255, v * 3)),
          [{ box }],
        ).faces[0].checks,
      ),
    ).toEqual(expect.arrayContaining(['too-bright', 'clipped']));
    const s = 60 / (box[2] - box[0]);
    const shrunk = resizeBilinear(frame, Math.round(frame.width * s), Math.round(frame.height * s));
    const small = assessFrameQuality(shrunk, [{ box: box.map((v) => v * s) as Box }]);
    expect(failed(small.faces[0].checks)).toContain('too-small');
    // Three box blurs of radius r: about a Gaussian of sigma r (here ~3 px at a 128 px face).
    const r = Math.round((3 * (box[2] - box[0])) / 128);
    let blurred = frame;
    for (let i = 0; i < 6; i++) blurred = boxBlur(blurred, r, i % 2 === 0);
    expect(failed(assessFrameQuality(blurred, [{ box }]).faces[0].checks)).toContain('blurry');
  });
});

describe('facePose', () => {
  it('fits 68 points and gives nothing for other layouts or degenerate points', () => {
    expect(facePose([[1, 2]], { width: 10, height: 10 })).toBeUndefined();
    const flat = Array.from({ length: 68 }, () => [5, 5] as Point);
    expect(facePose(flat, { width: 10, height: 10 })).toBeUndefined();
  });
});
