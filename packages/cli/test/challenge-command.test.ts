import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFfmpeg } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import * as pipeline from '@face-liveness/pipeline';
import { afterAll, describe, expect, it } from 'vitest';
import { CHALLENGE_ACTIONS, CHALLENGE_ALIASES } from '../src/options/challenge.js';
import { cli } from './in-process.js';

// `face-liveness challenge` in this process (the real engine, default models): a printed-photo
// attack made into a 4 s video fails with its reasons (the transcript in
// docs/guides/active-liveness.md), and user mistakes are named without a stack trace.

const NUAA_FAKE = sharedPath('data/nuaa/fake/0001');
const tmp = mkdtempSync(join(tmpdir(), 'fl-cli-challenge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('face-liveness challenge', () => {
  it('keeps the flag table’s action names equal to the pipeline’s', () => {
    expect([...CHALLENGE_ACTIONS]).toEqual([...pipeline.CHALLENGE_ACTIONS]);
    expect(CHALLENGE_ALIASES).toEqual(pipeline.CHALLENGE_ALIASES);
  });

  it('a printed photo held still fails: --json prints one object with the steps, reasons and passive verdict', async (ctx) => {
    needFiles(ctx, NUAA_FAKE, DLIB_68_PATH);
    const image = join(NUAA_FAKE, readdirSync(NUAA_FAKE).sort()[0]);
    const video = join(tmp, 'printed-photo.mp4');
    execFileSync(findFfmpeg(), [
      ...['-v', 'error', '-y', '-loop', '1', '-framerate', '30', '-t', '4', '-i', image],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', video],
    ]);
    const r = await cli('challenge', video, '--steps', 'turn-left,blink', '--json');
    expect(r.code, r.err).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]);
    expect(result).toMatchObject({
      input: video,
      passed: false,
      steps: [
        { action: 'turn-left', outcome: 'failed', startedMs: expect.any(Number), doneMs: expect.any(Number) },
        { action: 'blink', outcome: 'not-reached' },
      ],
      passive: { verdict: 'spoof' },
    });
    expect(result.reasons.map((x: { code: string }) => x.code)).toEqual(['timeout', 'spoof']);
    expect(r.err).toContain('face-liveness: challenge failed: timeout, spoof');
    expect(r.err).not.toMatch(/\n\s+at /);

    const text = await cli('challenge', video, '--steps', 'left,blink');
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/challenge FAILED \(2 steps/);
    expect(text.out).toMatch(/1\. turn-left +failed at/);
    expect(text.out).toMatch(/reason: spoof: /);
  });

  it('names a bad step, count or timeout (exit 2) and a missing file (exit 1), without a stack trace', async () => {
    const wink = await cli('challenge', 'clip.mp4', '--steps', 'left,wink');
    expect(wink.code).toBe(2);
    expect(wink.err).toMatch(/--steps <list>.*unknown action 'wink'; use turn-left/);
    const count = await cli('challenge', 'clip.mp4', '--count', '7');
    expect(count.code).toBe(2);
    expect(count.err).toMatch(/--count <n>.*must be 2, 3 or 4/);
    const timeout = await cli('challenge', 'clip.mp4', '--step-timeout', '-5');
    expect(timeout.code).toBe(2);
    expect(timeout.err).toMatch(/--step-timeout <ms>.*positive number of milliseconds/);
    const absent = await cli('challenge', join(tmp, 'absent.mp4'), '--steps', 'blink');
    expect(absent.code).toBe(1);
    expect(absent.err).toMatch(/^face-liveness: cannot read video .*absent\.mp4: no such file/);
    expect(absent.err).not.toMatch(/\n\s+at /);
  });
});
