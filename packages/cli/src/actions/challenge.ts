import { cameraDevice, FaceLivenessError, isImagePath, probeImage, probeVideo } from '@face-liveness/core';
import type { ChallengeProgress, ChallengeResult } from '@face-liveness/pipeline';
import { interruptible } from '../interrupt.js';
import type { ChallengeFlags } from '../options/challenge.js';
import { type EngineFlags, openEngine } from '../options/engine.js';
import { type SessionFlags, sessionOptions } from '../options/session.js';

interface ChallengeCommandFlags extends ChallengeFlags, EngineFlags, SessionFlags {
  json?: boolean;
  quiet?: boolean;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** The readable summary: the verdict, each step with its times, the passive verdict, the reasons. */
export function describeChallenge(input: string, r: ChallengeResult): string {
  const lines = [
    `${input}: challenge ${r.passed ? 'passed' : 'FAILED'} (${r.steps.length} steps, ${seconds(r.durationMs)})`,
    ...r.steps.map((s, i) => {
      const when = s.outcome === 'done' || s.outcome === 'failed' ? ` at ${seconds(s.doneMs)}` : '';
      const asked = s.startedMs === undefined ? '' : ` (asked at ${seconds(s.startedMs)})`;
      return `  ${i + 1}. ${s.action.padEnd(11)} ${s.outcome}${when}${asked}`;
    }),
    `  passive: ${r.passive.verdict} (${r.passive.reason})`,
    ...r.reasons.map(
      (x) => `  reason: ${x.code}${x.step === undefined ? '' : ` (step ${x.step + 1})`}: ${x.message}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Says on stderr what a person in front of a camera is asked, when it changes. */
function prompter(): (p: ChallengeProgress) => void {
  let said = '';
  return (p) => {
    const text = p.prompt
      ? `step ${p.stepIndex + 1}/${p.steps.length}: ${p.prompt.text}`
      : p.status === 'waiting-face'
        ? (p.feedback[0]?.message ?? 'look straight at the camera and hold still')
        : '';
    if (text && text !== said) process.stderr.write(`${text}\n`);
    said = text;
  };
}

export async function action(input: string, flags: ChallengeCommandFlags): Promise<void> {
  const camera = cameraDevice(input) !== undefined;
  // Header only: a missing or unreadable input loads no model.
  if (!camera) await (isImagePath(input) ? probeImage(input) : probeVideo(input));
  const engine = await openEngine(flags);
  const { signal, dispose } = interruptible();
  let result: ChallengeResult;
  try {
    const { openMedia } = await import('@face-liveness/pipeline');
    const challenge = engine.createChallenge({
      steps: flags.steps,
      count: flags.count,
      seed: flags.seed,
      stepTimeoutMs: flags.stepTimeout,
      faceTimeoutMs: flags.faceTimeout,
      mirrored: flags.mirrored ?? false,
      session: sessionOptions(flags),
    });
    const say = camera && !flags.quiet && !flags.json ? prompter() : undefined;
    try {
      for await (const { frame, timestampMs } of await openMedia(input)) {
        const progress = await challenge.push(frame, timestampMs);
        say?.(progress);
        if (progress.status === 'passed' || progress.status === 'failed' || signal.aborted) break;
      }
      result = challenge.result();
    } finally {
      await challenge.close();
    }
  } finally {
    dispose();
    await engine.close();
  }
  process.stdout.write(
    flags.json ? `${JSON.stringify({ input, ...result })}\n` : describeChallenge(input, result),
  );
  if (!result.passed) {
    const why = [...new Set(result.reasons.map((r) => r.code))].join(', ');
    throw new FaceLivenessError('ERR_CHALLENGE_FAILED', `challenge failed: ${why}`);
  }
}
