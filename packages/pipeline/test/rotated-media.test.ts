import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage, rotateBox, rotateFrame } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia } from '../src/analyze-media.js';
import { createLivenessEngine, type LivenessEngine } from '../src/engine.js';
import type { FrameResult } from '../src/types.js';
import { makeTurnedCopy, TURNED_COPIES } from './turned-copies.js';

// Turned copies of a real clip's start and of held-out NUAA frames, with the default models: faces
// at any 90-degree roll are found (the whole clips' verdicts: rotated-media.e2e.test.ts).
const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const NUAA = sharedPath('data/nuaa');
const HELD_OUT = ['0003', '0005', '0009', '0011'];
const tmp = mkdtempSync(join(tmpdir(), 'fl-rotated-'));
let engine: LivenessEngine | undefined;
beforeAll(async () => {
  if (existsSync(DLIB_68_PATH)) engine = await createLivenessEngine();
});
afterAll(async () => {
  await engine?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('real.mp4 turned, first 2 s', () => {
  for (const copy of TURNED_COPIES) {
    it(`${copy.name}: the face in every frame, one track, found at rotation ${copy.upright}`, async (ctx) => {
      needFiles(ctx, REAL, DLIB_68_PATH);
      const results: FrameResult[] = [];
      const summary = await analyzeMedia(engine as LivenessEngine, makeTurnedCopy(REAL, copy, tmp, 60), {
        onFrame: (r) => results.push(r),
      });
      expect(summary.frames).toBe(60);
      expect(results.map((r) => r.rotation)).toEqual(results.map(() => copy.upright));
      // Track 1 is the subject (a second, brief box on the lower right is the upright clip's too).
      expect(results.every((r) => r.faces.some((f) => f.trackId === 1))).toBe(true);
      expect(summary.skippedFrames).toBe(0);
    });
  }
});

describe('held-out NUAA frames turned by 90 degrees', () => {
  it('are found where the upright frames are, with the same score', async (ctx) => {
    const dirs = HELD_OUT.flatMap((s) => [join(NUAA, 'real', s), join(NUAA, 'fake', s)]);
    needFiles(ctx, DLIB_68_PATH, ...dirs);
    const e = engine as LivenessEngine;
    let images = 0;
    let found = 0;
    for (const dir of dirs) {
      // Every 5th frame: the frames of one subject are near-duplicates.
      for (const name of readdirSync(dir)
        .sort()
        .filter((_, i) => i % 5 === 0)) {
        const frame = await readImage(join(dir, name));
        const [straight, turned] = [
          await e.analyzeImage(frame, { orientation: 0 }),
          await e.analyzeImage(rotateFrame(frame, 90)),
        ];
        images++;
        // The turned-back frame is the upright one, pixel for pixel: the same faces and scores.
        expect(turned.faces.map((f) => f.box)).toEqual(
          straight.faces.map((f) => rotateBox(f.box, 90, frame.width, frame.height)),
        );
        expect(turned.faces.map((f) => f.score)).toEqual(straight.faces.map((f) => f.score));
        if (turned.faces.length === 0) continue;
        found++;
        expect(turned.rotation).toBe(270);
      }
    }
    expect(images).toBeGreaterThan(120);
    expect(found).toBeGreaterThan(images * 0.95);
  });
});
