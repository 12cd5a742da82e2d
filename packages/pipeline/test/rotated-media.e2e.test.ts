import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeMedia } from '../src/analyze-media.js';
import { createLivenessEngine } from '../src/engine.js';
import { makeTurnedCopy, TURNED_COPIES } from './turned-copies.js';

// Whole turned copies of real.mp4 with the default models: one track over the clip and the upright
// clip's verdict. Minutes of CPU in all: e2e (see verdicts.e2e.test.ts).
const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const tmp = mkdtempSync(join(tmpdir(), 'fl-turned-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('real.mp4 turned, whole clip', () => {
  it('every copy: a face in >95% of frames, one main track over >90%, the upright verdict', async (ctx) => {
    needFiles(ctx, REAL, DLIB_68_PATH);
    const engine = await createLivenessEngine();
    try {
      const upright = await analyzeMedia(engine, REAL);
      for (const copy of TURNED_COPIES) {
        let withFace = 0;
        const summary = await analyzeMedia(engine, makeTurnedCopy(REAL, copy, tmp), {
          onFrame: (r) => {
            if (r.faces.length > 0) withFace++;
          },
        });
        const main = summary.tracks.filter((t) => t.frames > summary.frames * 0.1);
        expect({ copy: copy.name, rotation: summary.rotation, skipped: summary.skippedFrames }).toEqual({
          copy: copy.name,
          rotation: copy.upright,
          skipped: 0,
        });
        expect(withFace).toBeGreaterThan(summary.frames * 0.95);
        expect(main).toHaveLength(1);
        expect(main[0].frames).toBeGreaterThan(summary.frames * 0.9);
        expect(summary.verdict).toBe(upright.verdict);
      }
      expect(upright.verdict).toBe('live');
    } finally {
      await engine.close();
    }
  });
});
