import { createRng, InvalidInputError } from '@face-liveness/core';
import { CHALLENGE_ACTIONS, type ChallengeAction } from './actions.js';

/**
 * A seeded generator of numbers in [0, 1) (core's mulberry32; a text seed such as a session id is
 * hashed). Reproducible draws are for tests and for replaying a logged challenge; they are not
 * secret, so a service draws unseeded.
 */
export function seededRandom(seed: number | string): () => number {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new InvalidInputError(`seed must be a finite number, got ${seed}`);
  }
  return createRng(seed).next;
}

/** Uniform numbers in [0, 1) from the platform's cryptographic generator (Node and browsers). */
function secureRandom(): number {
  const word = new Uint32Array(1);
  globalThis.crypto.getRandomValues(word);
  return word[0] / 2 ** 32;
}

/** Options of {@link drawChallengeSteps}. */
export interface DrawOptions {
  /** How many steps, 2-4. Default 3. */
  count?: number;
  /** Makes the draw reproducible; default: drawn from `crypto.getRandomValues`. */
  seed?: number | string;
  /** The actions to draw from, at least three different ones. Default: all of {@link CHALLENGE_ACTIONS}. */
  actions?: readonly ChallengeAction[];
}

/**
 * Random steps: `count` actions, each drawn uniformly from `actions` but never the one just
 * before (the same action twice in a row would let a held pose answer both). `turn-left` and
 * `turn-right` may both appear: each adds to the orders a recording would have to guess, and a
 * person passes through the front between them anyway. With the six actions and 3 steps there
 * are 6 x 5 x 5 = 150 orders.
 */
export function drawChallengeSteps(options: DrawOptions = {}): ChallengeAction[] {
  const count = options.count ?? 3;
  if (!(Number.isInteger(count) && count >= 2 && count <= 4)) {
    throw new InvalidInputError(`count must be an integer from 2 to 4, got ${count}`);
  }
  const pool = [...new Set(options.actions ?? CHALLENGE_ACTIONS)];
  for (const a of pool) {
    if (!CHALLENGE_ACTIONS.includes(a)) {
      throw new InvalidInputError(`actions: unknown action '${a}'; use ${CHALLENGE_ACTIONS.join(', ')}`);
    }
  }
  // No action twice in a row: from two, every order would alternate, and be guessed.
  if (pool.length < 3) {
    throw new InvalidInputError(`actions needs at least three different actions, got ${pool.length}`);
  }
  const random = options.seed === undefined ? secureRandom : seededRandom(options.seed);
  const steps: ChallengeAction[] = [];
  while (steps.length < count) {
    const choices = pool.filter((a) => a !== steps[steps.length - 1]);
    steps.push(choices[Math.min(choices.length - 1, Math.floor(random() * choices.length))]);
  }
  return steps;
}
