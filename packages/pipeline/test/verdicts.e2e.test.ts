import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the bench
import { stitchFrames } from '../bench/nuaa-video.mjs';
import { analyzeMedia } from '../src/analyze-media.js';
import { createLivenessEngine } from '../src/engine.js';

// End-to-end verdicts on whole clips with the default models: minutes of CPU, so they run in
// `npm run test:e2e` (the e2e project of vitest.config.ts), not in `npm test`.
const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const FAKE = sharedPath('data/replay-one-subject/videos/fake.mp4');
const SEED_MODEL = sharedPath('models/seed-livenessnet/liveness.model');
const tmp = mkdtempSync(join(tmpdir(), 'fl-verdicts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('blinks through the whole pipeline', () => {
  // The held-out NUAA subjects (packages/livenessnet/experiments/split.json).
  const subjects = ['0003', '0005', '0009', '0011'];
  it('counts none on the printed-photo attacks of the held-out subjects', async (ctx) => {
    const attacks = subjects.map((s) => sharedPath('data/nuaa/fake', s));
    needFiles(ctx, SEED_MODEL, DLIB_68_PATH, ...attacks);
    // Blinks do not depend on the classifier: classify rarely, to keep the test fast.
    const engine = await createLivenessEngine({ classifierModel: SEED_MODEL });
    const session = { classifyEvery: 10, detectEvery: 2 };
    try {
      for (const [i, dir] of attacks.entries()) {
        const video = join(tmp, `attack-${subjects[i]}.mp4`);
        stitchFrames(dir, video);
        const summary = await analyzeMedia(engine, video, { session });
        expect(summary.frames).toBeGreaterThan(50);
        expect(summary.tracks.map((t) => t.blinks)).toEqual(summary.tracks.map(() => 0));
      }
    } finally {
      await engine.close();
    }
  });
});

// The held-out NUAA subjects with the default models and policy: their webcam frames, ~1 s apart
// in time, stitched at 30 fps in the order of their file names.
describe('verdicts on the held-out NUAA subjects with the default models', () => {
  const subjects = ['0003', '0005', '0009', '0011'];
  for (const [kind, expected] of [
    ['real', 'live'],
    ['fake', 'spoof'],
  ] as const) {
    it(`${kind} subjects -> ${expected}`, async (ctx) => {
      const dirs = subjects.map((s) => sharedPath('data/nuaa', kind, s));
      needFiles(ctx, DLIB_68_PATH, ...dirs);
      const engine = await createLivenessEngine();
      try {
        const verdicts: string[] = [];
        for (const [i, dir] of dirs.entries()) {
          const video = join(tmp, `nuaa-${kind}-${subjects[i]}.mp4`);
          stitchFrames(dir, video);
          const summary = await analyzeMedia(engine, video);
          verdicts.push(summary.verdict);
          if (kind === 'fake')
            expect(summary.tracks.map((t) => t.blinks)).toEqual(summary.tracks.map(() => 0));
        }
        expect(verdicts).toEqual(subjects.map(() => expected));
      } finally {
        await engine.close();
      }
    });
  }
});

// Verdicts with the project's default models and policy: whatever the store holds (res10 when
// installed, else BlazeFace; the bundled LivenessNet unless one is installed).
describe('verdicts on the replay clips with the default models', () => {
  // Every frame, and the fast setting (detector and classifier on every 3rd frame): both must be right.
  for (const sparse of [false, true]) {
    for (const [video, expected] of [
      [REAL, 'live'],
      [FAKE, 'spoof'],
    ]) {
      it(`${video} -> ${expected}${sparse ? ' (detectEvery 3, classifyEvery 3)' : ''}`, async (ctx) => {
        needFiles(ctx, video, DLIB_68_PATH);
        const engine = await createLivenessEngine();
        try {
          const session = sparse ? { detectEvery: 3, classifyEvery: 3 } : {};
          const summary = await analyzeMedia(engine, video, { session });
          expect(summary.verdict).toBe(expected);
          // Every track that reached a verdict agrees (res10 loses the replayed face for a second
          // in fake.mp4, which splits it into several tracks), and together they cover the video.
          const decided = summary.tracks.filter((t) => t.verdict !== 'undecided');
          expect(decided.map((t) => t.verdict)).toEqual(decided.map(() => expected));
          expect(decided.reduce((n, t) => n + t.frames, 0)).toBeGreaterThan(summary.frames * 0.9);
        } finally {
          await engine.close();
        }
      });
    }
  }
});
