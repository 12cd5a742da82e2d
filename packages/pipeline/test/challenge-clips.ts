import { execFileSync } from 'node:child_process';
import { findFfmpeg } from '@face-liveness/core';
import type { ChallengeOptions, ChallengeResult } from '../src/challenge/index.js';
import type { LivenessEngine } from '../src/engine.js';
import { openMedia } from '../src/sources.js';

/** Writes an H.264 clip made by ffmpeg `args` (inputs and filters) to `out`; returns `out`. */
export function encodeClip(out: string, ...args: string[]): string {
  execFileSync(findFfmpeg(), [
    '-v',
    'error',
    '-y',
    ...args,
    '-an',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    out,
  ]);
  return out;
}

/** Runs a challenge over a video file, stopping at its end (or once decided), and returns its result. */
export async function runChallenge(
  engine: LivenessEngine,
  video: string,
  options: ChallengeOptions,
): Promise<ChallengeResult> {
  const session = engine.createChallenge(options);
  try {
    for await (const { frame, timestampMs } of await openMedia(video)) {
      const p = await session.push(frame, timestampMs);
      if (p.status === 'passed' || p.status === 'failed') break;
    }
    return session.result();
  } finally {
    await session.close();
  }
}

export const outcomes = (r: ChallengeResult) => r.steps.map((s) => s.outcome);
