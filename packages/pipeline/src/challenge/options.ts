import { InvalidInputError } from '@face-liveness/core';
import type { SessionOptions } from '../session-options.js';
import { CHALLENGE_ACTIONS, type ChallengeAction, isChallengeAction } from './actions.js';
import { drawChallengeSteps } from './draw.js';

/**
 * The thresholds that tell an action happened, each relative to the person's own neutral pose
 * (the median of the frames before the first step). The defaults were placed on the live clip of
 * `../shared/data/replay-one-subject` (see `test/challenge-real.test.ts` for the per-frame
 * measurements): its two head turns reach 29-44 degrees of yaw from neutral and its look-up 15-22
 * degrees of pitch, while its neutral and talking frames stay within 6 degrees of yaw, 3 of pitch,
 * 0.12 of mouth opening and 14% of face size; each default sits between the two.
 */
export interface ChallengeThresholds {
  /** A turn is done when the yaw has moved this far (degrees) the asked way. Default 20. */
  turnDegrees?: number;
  /** Looking up is done when the pitch has risen this far (degrees). Default 12. */
  lookUpDegrees?: number;
  /**
   * The mouth is open when the mouth aspect ratio (inner lips) rises this far above the neutral
   * one (as the landmarks package's `MouthOpenDetector`). Default 0.25.
   */
  mouthOpenMargin?: number;
  /** ...and closed again below neutral + this (hysteresis). Default 0.12. */
  mouthCloseMargin?: number;
  /** Moving closer is done when the face box's size (square root of its area) grows by this factor. Default 1.25. */
  closerRatio?: number;
  /**
   * An asked pose action must hold this long (ms, on usable frames) to be done, with every other
   * pose action under its release level (half its threshold; the mouth's close margin) all along:
   * one odd frame is not an action, and a move doing several at once answers none. Another pose
   * action held this long fails the step as `wrong-action`. Default 100.
   */
  holdMs?: number;
}

/** Options of a challenge ({@link LivenessEngine.createChallenge}). */
export interface ChallengeOptions extends ChallengeThresholds {
  /** Fixed steps (tests, the CLI's `--steps`); otherwise drawn at random (see `count`, `seed`). */
  steps?: readonly ChallengeAction[];
  /** How many random steps, 2-4. Default 3. No action is drawn twice in a row. */
  count?: number;
  /** Fixes the random draw (same seed, same steps); default: a cryptographic draw. */
  seed?: number | string;
  /**
   * The actions random steps are drawn from, at least three different ones (with two, the orders
   * alternate and can be guessed). Default: all six. Not read when `steps` are given.
   */
  actions?: readonly ChallengeAction[];
  /** Time to do each step, ms, counted from when it is asked. Default 5000. */
  stepTimeoutMs?: number;
  /**
   * Time from the first frame to present a usable face and hold it still for the neutral pose,
   * ms. Default 10000.
   */
  faceTimeoutMs?: number;
  /** How long (ms) the neutral pose is taken over before the first step. Default 500. */
  baselineMs?: number;
  /** Fewest usable frames the neutral pose is taken from. Default 5. */
  baselineFrames?: number;
  /**
   * Largest |yaw| and |pitch| (degrees) of a frame counted into the neutral pose: the person must
   * start facing the camera, so that both turns need the same effort. Default 15.
   */
  neutralDegrees?: number;
  /**
   * How long (ms) the challenged face may be missing before the challenge fails (`face-lost`,
   * or `face-swapped` when another face is there instead). Default 1000.
   */
  faceLostMs?: number;
  /**
   * Directions are the person's own: `turn-left` is a turn towards their left shoulder. In frames
   * as a camera takes them (unmirrored, the default) that moves the nose to the image's right, so
   * the head pose's yaw grows. Set `mirrored: true` when the frames pushed are mirrored (drawn
   * from a selfie preview flipped left to right); the sign of yaw is then reversed.
   */
  mirrored?: boolean;
  /** Options of the inner {@link LivenessSession} that tracks the face and judges it passively. */
  session?: SessionOptions;
}

/** Challenge options with their defaults, validated. */
export interface ResolvedChallengeOptions extends Required<ChallengeThresholds> {
  steps: readonly ChallengeAction[];
  stepTimeoutMs: number;
  faceTimeoutMs: number;
  baselineMs: number;
  baselineFrames: number;
  neutralDegrees: number;
  faceLostMs: number;
  mirrored: boolean;
}

export const CHALLENGE_DEFAULTS: Omit<ResolvedChallengeOptions, 'steps'> = {
  turnDegrees: 20,
  lookUpDegrees: 12,
  mouthOpenMargin: 0.25,
  mouthCloseMargin: 0.12,
  closerRatio: 1.25,
  holdMs: 100,
  stepTimeoutMs: 5000,
  faceTimeoutMs: 10_000,
  baselineMs: 500,
  baselineFrames: 5,
  neutralDegrees: 15,
  faceLostMs: 1000,
  mirrored: false,
};

function positive(name: string, value: number, min = 0, strict = true): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || (strict ? value <= min : value < min)) {
    throw new InvalidInputError(
      `${name} must be a number ${strict ? '>' : '>='} ${min}, got ${String(value)}`,
    );
  }
}

/** Validates the options (an {@link InvalidInputError} names the bad one), fills in defaults and draws the steps. */
export function resolveChallengeOptions(options: ChallengeOptions = {}): ResolvedChallengeOptions {
  const o = { ...CHALLENGE_DEFAULTS };
  for (const key of Object.keys(CHALLENGE_DEFAULTS) as (keyof typeof CHALLENGE_DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  }
  for (const key of [
    'turnDegrees',
    'lookUpDegrees',
    'mouthOpenMargin',
    'stepTimeoutMs',
    'faceTimeoutMs',
  ] as const) {
    positive(key, o[key]);
  }
  for (const key of ['mouthCloseMargin', 'holdMs', 'baselineMs', 'faceLostMs'] as const) {
    positive(key, o[key], 0, false);
  }
  positive('closerRatio', o.closerRatio, 1);
  positive('neutralDegrees', o.neutralDegrees);
  if (!(Number.isInteger(o.baselineFrames) && o.baselineFrames >= 1)) {
    throw new InvalidInputError(`baselineFrames must be a positive integer, got ${o.baselineFrames}`);
  }
  if (!(o.mouthCloseMargin < o.mouthOpenMargin)) {
    throw new InvalidInputError(
      `mouthCloseMargin (${o.mouthCloseMargin}) must be below mouthOpenMargin (${o.mouthOpenMargin})`,
    );
  }
  if (typeof o.mirrored !== 'boolean') throw new InvalidInputError(`mirrored must be true or false`);
  let steps: ChallengeAction[];
  if (options.steps !== undefined) {
    if (!Array.isArray(options.steps) || options.steps.length === 0) {
      throw new InvalidInputError('steps must be a non-empty list of actions');
    }
    for (const s of options.steps) {
      if (!isChallengeAction(s)) {
        throw new InvalidInputError(`steps: unknown action '${s}'; use ${CHALLENGE_ACTIONS.join(', ')}`);
      }
    }
    steps = [...options.steps];
  } else {
    steps = drawChallengeSteps({ count: options.count, seed: options.seed, actions: options.actions });
  }
  return { ...o, steps };
}
