import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFfmpeg } from '@face-liveness/core';
import { DLIB_68_PATH, missing, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeOptions, ChallengeResult } from '../src/challenge/index.js';
import { createLivenessEngine, type LivenessEngine } from '../src/engine.js';
import { encodeClip, outcomes, runChallenge } from './challenge-clips.js';

/*
 * Challenges on real video with the default engine (no mocks). What the live clip
 * ../shared/data/replay-one-subject/videos/real.mp4 (368x656, 30 fps, 20.7 s, one person, one
 * track, no frame without a face) shows, measured frame by frame with a session (yaw/pitch in
 * degrees, MAR = inner-lip mouth aspect ratio, size = face box width in px):
 *   0.0-1.8 s   neutral: yaw +4..+5, pitch -1..0, MAR 0.01-0.02, EAR 0.21-0.23, width 261-280
 *   1.8-5.6 s   turn with yaw rising to +47 (nose to the image's right; quality 'turned' past 35),
 *               pitch down to -11, roll to -13: a turn to the person's own left in an unmirrored frame
 *   5.7-7.2 s   back to the front (yaw +12 to -5)
 *   7.3-10.5 s  turn the other way, yaw -15..-25 (29 degrees from neutral), roll +15
 *   11.7-14.0 s head down, pitch -10..-20, width up to 303 (+14%)
 *   14.4-16.2 s head up, pitch +14..+21 (15-22 from neutral); the eyes narrow (EAR 0.13-0.17,
 *               quality 'eyes-closed'), the box shrinks to width 200 (-25%)
 *   16.5-20.7 s neutral
 * No blink is counted (the EAR never dips under 60% of its open value with the face frontal), the
 * MAR never exceeds 0.13 (mouth closed or barely parted) and the face never grows 25%: blink,
 * open-mouth and move-closer have no positive case here (challenge-machine.test.ts scripts them).
 * The passive verdict is live (mean P(live) ~0.92). These numbers placed the defaults of
 * ChallengeThresholds: turn 20 degrees, look up 12, mouth +0.25, closer x1.25.
 * Each action is done alone (the others under their release levels: half the threshold, mouth
 * +0.12, size x1.125): while it turns, the pitch rises at most 1.4 degrees, the MAR at most
 * 0.119 (late in the left turn, talking: just under its release) and the size stays within
 * x0.89-1.05; while it looks up, the yaw moves at most 6 degrees and the size shrinks (x0.74-1.00).
 * Timings: a session runs the clip at ~2-6x real time on two busy cores.
 */

const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const NUAA_FAKE = sharedPath('data/nuaa/fake/0001');
const tmp = mkdtempSync(join(tmpdir(), 'fl-challenge-'));
let engine: LivenessEngine | undefined;

beforeAll(async () => {
  // Without the data every test skips (needFiles), and no model is loaded.
  if (!missing(REAL, NUAA_FAKE, DLIB_68_PATH)) engine = await createLivenessEngine();
});
afterAll(async () => {
  await engine?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Encodes an ffmpeg clip into `name` in the temp folder; returns its path. */
const clip = (name: string, ...args: string[]) => encodeClip(join(tmp, name), ...args);

/** A still image shown for `seconds`: a photo held in front of the camera, perfectly still. */
function stillVideo(image: string, seconds: number, name: string): string {
  return clip(name, '-loop', '1', '-framerate', '30', '-t', String(seconds), '-i', image);
}

const challenge = (video: string, options: ChallengeOptions) =>
  runChallenge(engine as LivenessEngine, video, options);

const codes = (r: ChallengeResult) => r.reasons.map((s) => s.code);

describe('challenges on the live clip', () => {
  it('passes the steps it performs, in its order (turn left, turn right, look up; 8 s windows)', async (ctx) => {
    needFiles(ctx, REAL, DLIB_68_PATH);
    const r = await challenge(REAL, { steps: ['turn-left', 'turn-right', 'look-up'], stepTimeoutMs: 8000 });
    expect(r, JSON.stringify(r)).toMatchObject({ passed: true, reasons: [], trackId: 1 });
    expect(r.passive.verdict).toBe('live');
    // When each was done (stream ms): the turns' and the look-up's first frames past the thresholds.
    const done = r.steps.map((s) => s.doneMs ?? Number.NaN);
    expect(done[0]).toBeGreaterThan(1800);
    expect(done[0]).toBeLessThan(2600);
    expect(done[1]).toBeGreaterThan(7200);
    expect(done[1]).toBeLessThan(8200);
    expect(done[2]).toBeGreaterThan(14300);
    expect(done[2]).toBeLessThan(15200);
  });

  it('fails when the order asked differs from the order performed', async (ctx) => {
    needFiles(ctx, REAL, DLIB_68_PATH);
    const swapped = await challenge(REAL, { steps: ['turn-right', 'turn-left'] });
    expect(outcomes(swapped)).toEqual(['failed', 'not-reached']);
    expect(swapped.reasons).toEqual([
      { code: 'wrong-action', step: 0, message: 'turn-left was done while turn-right was asked' },
    ]);
    const up = await challenge(REAL, { steps: ['look-up', 'turn-left'] });
    expect(codes(up)).toEqual(['wrong-action']);
    // Its calm last 4.2 s have no blink and no open mouth: the frames end inside the window.
    const calm = clip('calm.mp4', '-ss', '16.5', '-i', REAL);
    const mouth = await challenge(calm, { steps: ['open-mouth', 'blink'] });
    expect(mouth.passed).toBe(false);
    expect(outcomes(mouth)).toEqual(['failed', 'not-reached']);
    expect(mouth.reasons).toEqual([
      {
        code: 'timeout',
        step: 0,
        message: expect.stringMatching(/^open-mouth was not done: the frames ended/),
      },
    ]);
  });
});

describe('still pictures fail', () => {
  it('a frame of the live clip held still: live to the classifier, but no step is done', async (ctx) => {
    needFiles(ctx, REAL, DLIB_68_PATH);
    const still = join(tmp, 'still.png');
    execFileSync(findFfmpeg(), ['-v', 'error', '-y', '-i', REAL, '-frames:v', '1', still]);
    const r = await challenge(stillVideo(still, 6, 'still.mp4'), { steps: ['turn-left', 'blink'] });
    expect(r.passed).toBe(false);
    expect(outcomes(r)).toEqual(['failed', 'not-reached']);
    expect(codes(r)[0]).toBe('timeout');
  });

  it('a printed-photo attack (NUAA) held for 4 s: timeout and spoof', async (ctx) => {
    needFiles(ctx, NUAA_FAKE, DLIB_68_PATH);
    const photo = join(NUAA_FAKE, readdirSync(NUAA_FAKE).sort()[0]);
    const r = await challenge(stillVideo(photo, 4, 'photo.mp4'), { steps: ['turn-left', 'blink'] });
    expect(r.passed).toBe(false);
    expect(codes(r)).toEqual(['timeout', 'spoof']);
    expect(r.reasons[0].message).toMatch(/turn-left was not done: the frames ended .* s into its 5 s window/);
    expect(r.passive.verdict).toBe('spoof');
  });
});
