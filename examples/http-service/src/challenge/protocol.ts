import type { ChallengeProgress, ChallengeResult, ChallengeStepResult } from '@face-liveness/pipeline';

/**
 * The result as the client sees it: without the passive score and the threshold, which would
 * tell an attacker how close a spoof came (the service log keeps them).
 */
export interface ClientResult {
  passed: boolean;
  steps: ChallengeStepResult[];
  reasons: { code: string; message: string; step?: number }[];
  durationMs: number;
}

const SPOOF_MESSAGE = 'the face could not be confirmed as a live person in front of the camera';

export function clientResult(result: ChallengeResult): ClientResult {
  return {
    passed: result.passed,
    steps: result.steps,
    reasons: result.reasons.map((r) => ({ ...r, message: r.code === 'spoof' ? SPOOF_MESSAGE : r.message })),
    durationMs: result.durationMs,
  };
}

/** A step as a running challenge shows it: a step not asked yet has no action. */
export type ClientStep = ChallengeStepResult | { outcome: 'not-reached' };

/** A `progress` message's content: the pipeline's progress with the later steps' actions left out. */
export type ClientProgress = Omit<ChallengeProgress, 'steps'> & { steps: ClientStep[] };

/**
 * Whether step `index` has been asked for: it is before the current one, or it is the current
 * one and already pending (while the service looks for a face, the first step is not asked yet).
 */
const asked = (progress: ChallengeProgress, index: number) =>
  index < progress.stepIndex ||
  (index === progress.stepIndex && progress.steps[index]?.outcome !== 'not-reached');

/**
 * The progress as the client sees it: a step's action only once it is asked, so that a puppet or
 * a spliced video cannot be prepared for the whole random order before the run (the count stays,
 * for "step 2 of 3"). The final result lists every step: the challenge is over then.
 */
export function clientProgress(progress: ChallengeProgress): ClientProgress {
  return {
    ...progress,
    steps: progress.steps.map((step, i) => (asked(progress, i) ? step : { outcome: 'not-reached' })),
  };
}

/**
 * The challenge socket's messages. The client sends binary frames: a JPEG (or PNG), optionally
 * preceded by 8 bytes of capture time (float64 little-endian, ms, any origin); without them the
 * server stamps the frame on arrival. One frame in flight is enough: the server answers each frame
 * it analyses with a `progress` message and drops frames arriving while it is busy. It ends with
 * one `result` (the signed token inside) and closes the socket with 1000.
 */
export type ServerMessage =
  | { type: 'ready'; id: string; stepCount: number; expiresAt: string }
  | ({ type: 'progress' } & ClientProgress)
  | { type: 'result'; result: ClientResult; token: string }
  | { type: 'error'; error: string; message: string };

/** Close codes besides 1000 (done) and 1001 (server shutting down); the reason repeats the meaning. */
export const CLOSE = {
  /** Unknown, expired, or already run elsewhere: create a new challenge. */
  notAvailable: 4404,
  /** The client is locked out after repeated failures; the reason gives the seconds left. */
  lockedOut: 4429,
  /** The models are not loaded yet, or the process runs as many challenges as it may. */
  busy: 4503,
  /** A frame message that is not a frame. */
  badFrame: 4400,
  /** No frame within the first-frame or idle limit: the run is abandoned (a failure). */
  idle: 4408,
} as const;

/** Bytes of the optional capture-time prefix of a frame message. */
export const TIME_BYTES = 8;

const isImage = (b: Buffer, at: number) =>
  (b[at] === 0xff && b[at + 1] === 0xd8) || (b[at] === 0x89 && b[at + 1] === 0x50);

/** A frame message's image and capture time (undefined: none sent). */
export function parseFrame(bytes: Buffer): { image: Buffer; capturedMs?: number } {
  // A double's first byte is anything, so the time prefix is told by the image magic after it
  // (no JPEG or PNG has one at byte 8).
  if (bytes.length > TIME_BYTES + 2 && isImage(bytes, TIME_BYTES)) {
    const capturedMs = bytes.readDoubleLE(0);
    return {
      image: bytes.subarray(TIME_BYTES),
      capturedMs: Number.isFinite(capturedMs) ? capturedMs : undefined,
    };
  }
  return { image: bytes };
}
