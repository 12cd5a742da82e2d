import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, InvalidInputError, readImage } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createLivenessEngine, type LivenessEngine } from '../src/engine.js';
import { decide, EvidenceAccumulator, resolveFusion } from '../src/fusion.js';
import { GATING_CODES, resolveQualityGate } from '../src/quality/gate.js';
import { resolveSessionOptions } from '../src/session-options.js';
import type { FaceResult } from '../src/types.js';

// A face crop of the live video, and the video: at a third of its brightness the bundled
// LivenessNet calls this face a spoof (P(live) about 0.1), which is what gating is for.
const STILL = sharedPath('data/replay-one-subject/real/real.mp4314.png');
const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const GAIN = 0.3;
const tmp = mkdtempSync(join(tmpdir(), 'fl-quality-gating-'));
let engine: LivenessEngine | undefined;
afterAll(async () => {
  await engine?.close();
  rmSync(tmp, { recursive: true, force: true });
});
const getEngine = async () => {
  engine ??= await createLivenessEngine();
  return engine;
};
const darken = (frame: Frame, gain: number): Frame => ({
  ...frame,
  data: frame.data.map((v) => Math.round(v * gain)),
});

describe('quality gate options', () => {
  it('is off by default, on with true or limits, and names a bad value', () => {
    expect(resolveQualityGate(undefined)).toBeUndefined();
    expect(resolveQualityGate(false)).toBeUndefined();
    expect(resolveQualityGate(true)?.minBrightness).toBe(67);
    expect(resolveQualityGate({ minBrightness: 40 })?.minBrightness).toBe(40);
    expect(resolveSessionOptions({ qualityGate: true }, 0.5)).toMatchObject({ qualityGate: true });
    expect(() => resolveSessionOptions({ qualityGate: { minBrightness: -1 } }, 0.5)).toThrow(
      /qualityGate\.minBrightness must be a number >= 0/,
    );
    expect(() => resolveQualityGate({ minBrightnes: 40 } as never)).toThrow(InvalidInputError);
    expect(() => resolveQualityGate({ minBrightnes: 40 } as never)).toThrow(/qualityGate\.minBrightnes/);
    expect(() => resolveQualityGate('yes' as never)).toThrow(/qualityGate must be true, false or an object/);
    expect(GATING_CODES).not.toContain('eyes-closed');
    expect(GATING_CODES).not.toContain('several-faces');
  });

  it('keeps gated scores out of the mean and says so in the verdict', () => {
    const fusion = resolveFusion({ policy: 'passive', minFrames: 2 }, 0.5);
    const e = new EvidenceAccumulator(0, 0.5);
    e.add(0, 0.1, 0, false, ['too-dark']);
    e.add(33, 0.05, 0, false, ['too-dark', 'blurry']);
    expect(e.snapshot()).toMatchObject({
      frames: 2,
      classifiedFrames: 0,
      gatedFrames: 2,
      gateReasons: { 'too-dark': 2, blurry: 1 },
    });
    expect(decide(e.snapshot(), fusion)).toEqual({
      verdict: 'undecided',
      reason: 'face quality too low in every frame: too dark, blurry',
    });
    e.add(66, 0.9, 1);
    e.add(99, 0.8, 1);
    const s = e.snapshot();
    expect(s).toMatchObject({ frames: 4, classifiedFrames: 2, gatedFrames: 2, blinks: 1 });
    expect(s.score).toBeCloseTo(0.85, 10);
    expect(s.minScore).toBe(0.8);
    expect(decide(s, fusion).verdict).toBe('live');
    expect(decide(s, fusion).reason).toMatch(/2 frames left out for quality \(too dark, blurry\)/);
  });
});

describe('quality gating with the default models', () => {
  it('reports a darkened live face undecided (too dark) with its score kept; a well-lit face is not gated', async (ctx) => {
    needFiles(ctx, STILL, DLIB_68_PATH);
    const e = await getEngine();
    const frame = await readImage(STILL);
    const dark = darken(frame, GAIN);
    const [plain] = (await e.analyzeImage(frame)).faces;
    const [plainOff] = (await e.analyzeImage(frame, { qualityGate: false })).faces;
    const [darkOff] = (await e.analyzeImage(dark)).faces;
    const [darkOn] = (await e.analyzeImage(dark, { qualityGate: true })).faces;
    expect(plain.verdict).toBe('live');
    expect(plainOff).toMatchObject({ verdict: plain.verdict, reason: plain.reason, score: plain.score });
    expect(plain.gatedBy).toBeUndefined();
    // Whatever the classifier makes of the dark face (the previous default called it spoof), gating
    // changes only the verdict: the score is the same.
    expect(darkOff.gatedBy).toBeUndefined();
    expect(darkOn.verdict).toBe('undecided');
    expect(darkOn.reason).toMatch(/^face quality too low: .*too dark: face a light/);
    expect(darkOn.gatedBy).toContain('too-dark');
    expect(darkOn.score).toBe(darkOff.score);
    expect(darkOn.evidence).toMatchObject({ classifiedFrames: 0, gatedFrames: 1 });
  });

  it('keeps a session’s darkened frames out of the track score and counts them', async (ctx) => {
    needFiles(ctx, REAL, DLIB_68_PATH);
    // 4 s of the live video where the face looks at the camera; its first 2 s at a third of the light.
    const clip = join(tmp, 'half-dark.mp4');
    execFileSync('ffmpeg', [
      ...['-loglevel', 'error', '-y', '-ss', '6', '-t', '4', '-i', REAL, '-an'],
      ...['-vf', `lutrgb=r=val*${GAIN}:g=val*${GAIN}:b=val*${GAIN}:enable='lt(t,2)'`, clip],
    ]);
    const e = await getEngine();
    const run = async (qualityGate: boolean) => {
      const session = e.createSession({ qualityGate });
      const faces: (FaceResult & { timestampMs: number })[] = [];
      for await (const r of session.stream(clip)) {
        for (const f of r.faces) faces.push({ ...f, timestampMs: r.timestampMs });
      }
      await session.close();
      return { faces, tracks: session.tracks(), verdict: session.verdict() };
    };
    const off = await run(false);
    const on = await run(true);
    const scored = (faces: FaceResult[]) => faces.filter((f) => f.score !== undefined);
    expect(off.tracks.every((t) => t.gatedFrames === 0)).toBe(true);

    const gated = on.faces.filter((f) => f.gatedBy);
    const dark = on.faces.filter((f) => f.timestampMs < 1900);
    expect(gated.length).toBeGreaterThan(0.8 * dark.length);
    for (const f of gated.filter((g) => g.gatedBy?.includes('too-dark')))
      expect(f.timestampMs).toBeLessThan(2100);
    const [track] = on.tracks;
    expect(on.tracks).toHaveLength(1);
    expect(track.gatedFrames).toBe(gated.length);
    expect(track.gateReasons['too-dark']).toBeGreaterThan(0);
    expect(track.classifiedFrames + track.gatedFrames).toBe(scored(on.faces).length);
    expect(track.frames).toBe(off.tracks[0].frames);
    const kept = scored(on.faces).filter((f) => !f.gatedBy);
    expect(track.score).toBeCloseTo(kept.reduce((s, f) => s + (f.score as number), 0) / kept.length, 10);
    expect(track.score).toBeGreaterThan(off.tracks[0].score);
    expect(on.verdict).toBe('live');
    expect(track.reason).toMatch(/frames left out for quality \(too dark/);
  });
});
