import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFfmpeg, readImage, rotateBox, rotateFrame } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia, type MediaSummary } from '../src/analyze-media.js';
import { createLivenessEngine, type LivenessEngine } from '../src/engine.js';

// Turned copies of a real clip and of held-out NUAA frames, with the default models: faces at any
// 90-degree roll are found, in one track, with the upright input's verdict.
const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const NUAA = sharedPath('data/nuaa');
const HELD_OUT = ['0003', '0005', '0009', '0011'];
const tmp = mkdtempSync(join(tmpdir(), 'fl-rotated-'));
let engine: LivenessEngine | undefined;
let upright: MediaSummary | undefined;
beforeAll(async () => {
  if (existsSync(DLIB_68_PATH)) engine = await createLivenessEngine();
  if (engine && existsSync(REAL)) upright = await analyzeMedia(engine, REAL);
});
afterAll(async () => {
  await engine?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('real.mp4 turned', () => {
  // The ffmpeg arguments of each copy, and the rotation that brings it back upright.
  const copies = [
    ['90 degrees (transpose=1)', ['-vf', 'transpose=1', '-c:v', 'libx264', '-preset', 'veryfast'], 270],
    ['270 degrees (transpose=2)', ['-vf', 'transpose=2', '-c:v', 'libx264', '-preset', 'veryfast'], 90],
    ['180 degrees (hflip,vflip)', ['-vf', 'hflip,vflip', '-c:v', 'libx264', '-preset', 'veryfast'], 180],
    // Upright pixels with a phone's flag: ffmpeg applies it when decoding, so the frames arrive turned.
    ['by a rotate=90 flag', ['-c', 'copy', '-metadata:s:v:0', 'rotate=90'], 90],
  ] as const;
  for (const [name, args, rotation] of copies) {
    it(`${name}: one track over the clip, the upright verdict`, async (ctx) => {
      needFiles(ctx, REAL, DLIB_68_PATH);
      const copy = join(tmp, `${rotation}-${args[1]}.mp4`);
      execFileSync(findFfmpeg(), ['-v', 'error', '-y', '-i', REAL, ...args, copy]);
      let withFace = 0;
      const summary = await analyzeMedia(engine as LivenessEngine, copy, {
        onFrame: (r) => {
          if (r.faces.length > 0) withFace++;
        },
      });
      expect(summary.rotation).toBe(rotation);
      expect(summary.skippedFrames).toBe(0);
      expect(withFace).toBeGreaterThan(summary.frames * 0.95);
      const main = summary.tracks.filter((t) => t.frames > summary.frames * 0.1);
      expect(main).toHaveLength(1);
      expect(main[0].frames).toBeGreaterThan(summary.frames * 0.9);
      expect(summary.verdict).toBe(upright?.verdict);
      expect(summary.verdict).toBe('live');
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
        if (turned.faces.length === 0) continue;
        found++;
        expect(turned.rotation).toBe(270);
        // The turned-back frame is the upright one, pixel for pixel: the same faces and scores.
        expect(turned.faces.map((f) => f.box)).toEqual(
          straight.faces.map((f) => rotateBox(f.box, 90, frame.width, frame.height)),
        );
        expect(turned.faces.map((f) => f.score)).toEqual(straight.faces.map((f) => f.score));
      }
    }
    expect(images).toBeGreaterThan(120);
    expect(found).toBeGreaterThan(images * 0.95);
  });
});
