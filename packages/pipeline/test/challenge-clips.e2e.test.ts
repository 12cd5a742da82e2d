import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DLIB_68_PATH, missing, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeOptions } from '../src/challenge/index.js';
import { createLivenessEngine, type LivenessEngine } from '../src/engine.js';
import { encodeClip, outcomes, runChallenge } from './challenge-clips.js';

/*
 * Challenges on clips made from the live video and on its replay (whole clips: in the e2e project).
 * What real.mp4 contains, second by second, is in challenge-real.test.ts: neutral to 1.8 s, a turn
 * raising yaw to +47 (1.8-5.6 s: the person's own left, unmirrored), a turn the other way to -25
 * (7.3-10.5 s), head down (11.7-14 s), head up (14.4-16.2 s). Mirroring the video (ffmpeg hflip)
 * turns each turn the other way; cutting and joining its pieces orders the actions at will.
 */

const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const FAKE = sharedPath('data/replay-one-subject/videos/fake.mp4');
const tmp = mkdtempSync(join(tmpdir(), 'fl-challenge-e2e-'));
let engine: LivenessEngine | undefined;

beforeAll(async () => {
  if (!missing(REAL, FAKE, DLIB_68_PATH)) engine = await createLivenessEngine();
});
afterAll(async () => {
  await engine?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Encodes an ffmpeg clip into `name` in the temp folder; returns its path. */
const clip = (name: string, ...args: string[]) => encodeClip(join(tmp, name), ...args);

const challenge = (video: string, options: ChallengeOptions) =>
  runChallenge(engine as LivenessEngine, video, options);

describe('the live clip against other orders', () => {
  it('fails a step whose window holds a different action first', async (ctx) => {
    needFiles(ctx, REAL, DLIB_68_PATH);
    // Left then up: the clip turns right before it looks up.
    const leftUp = await challenge(REAL, { steps: ['turn-left', 'look-up'], stepTimeoutMs: 8000 });
    expect(outcomes(leftUp)).toEqual(['done', 'failed']);
    expect(leftUp.reasons[0]).toMatchObject({ code: 'wrong-action', step: 1 });
    // A blink is not asked for here: the clip turns first, which fails a blink step too.
    const blink = await challenge(REAL, { steps: ['blink', 'open-mouth'] });
    expect(blink.reasons).toEqual([
      { code: 'wrong-action', step: 0, message: 'turn-left was done while blink was asked' },
    ]);
  });
});

describe('mirrored frames', () => {
  it('the mirrored clip turns right first; with mirrored: true its turns are the person’s own again', async (ctx) => {
    needFiles(ctx, REAL, DLIB_68_PATH);
    const mirrored = clip('mirrored.mp4', '-i', REAL, '-vf', 'hflip');
    const asImage = await challenge(mirrored, {
      steps: ['turn-right', 'turn-left', 'look-up'],
      stepTimeoutMs: 8000,
    });
    expect(asImage, JSON.stringify(asImage)).toMatchObject({ passed: true, reasons: [] });
    const selfie = await challenge(mirrored, {
      steps: ['turn-left', 'turn-right', 'look-up'],
      stepTimeoutMs: 8000,
      mirrored: true,
    });
    expect(selfie, JSON.stringify(selfie)).toMatchObject({ passed: true, reasons: [] });
    const wrong = await challenge(mirrored, { steps: ['turn-left', 'turn-right'] });
    expect(wrong.reasons.map((r) => r.code)).toEqual(['wrong-action']);
  });
});

describe('a recording in one fixed order', () => {
  it('neutral, turn right, turn left (pieces of the clip joined): passes only that order', async (ctx) => {
    needFiles(ctx, REAL, DLIB_68_PATH);
    // 0-1.8 s neutral, then the 1.8-6.5 s turn mirrored (a right turn), then the same turn as is.
    const joined = clip(
      'right-left.mp4',
      '-i',
      REAL,
      '-filter_complex',
      '[0:v]trim=0:1.8,setpts=PTS-STARTPTS[a];[0:v]trim=1.8:6.5,setpts=PTS-STARTPTS,hflip[b];' +
        '[0:v]trim=1.8:6.5,setpts=PTS-STARTPTS[c];[a][b][c]concat=n=3:v=1[out]',
      '-map',
      '[out]',
    );
    const right = await challenge(joined, { steps: ['turn-right', 'turn-left'] });
    expect(right, JSON.stringify(right)).toMatchObject({ passed: true, reasons: [] });
    for (const steps of [
      ['turn-left', 'turn-right'],
      ['look-up', 'turn-right'],
      ['open-mouth', 'turn-right'],
    ] as const) {
      const r = await challenge(joined, { steps });
      expect(r.passed).toBe(false);
      expect(outcomes(r)).toEqual(['failed', 'not-reached']);
      expect(r.reasons).toEqual([
        { code: 'wrong-action', step: 0, message: `turn-right was done while ${steps[0]} was asked` },
      ]);
    }
    // Three steps: the recording cannot do the third.
    const three = await challenge(joined, { steps: ['turn-right', 'turn-left', 'blink'] });
    expect(outcomes(three)).toEqual(['done', 'done', 'failed']);
    expect(three.reasons.map((r) => r.code)).toEqual(['timeout']);
  });
});

describe('the phone replay of the live clip', () => {
  it('does the same moves but fails as spoof', async (ctx) => {
    needFiles(ctx, FAKE, DLIB_68_PATH);
    const r = await challenge(FAKE, { steps: ['turn-left', 'turn-right', 'look-up'], stepTimeoutMs: 8000 });
    expect(r.passed).toBe(false);
    expect(r.passive.verdict).toBe('spoof');
    expect(r.reasons.map((x) => x.code)).toContain('spoof');
  });
});
