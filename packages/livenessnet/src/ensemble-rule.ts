import { InvalidInputError } from '@face-liveness/core';

/*
 * The project's one ensemble rule. LivenessEnsemble applies it, so `classify`, `evaluate` and the
 * pipeline's ensemble directories all score alike: a face's P(live) is the mean of its members' P(live),
 * and the decision threshold is the mean of the members' thresholds unless one is given. The mean of
 * probabilities is what the original's evaluation_ens.py computes (it averages softmax rows, which for
 * two classes is the same thing) and what the pipeline does with several classifiers.
 */

/** The ensemble's value of one output (P(live), or any other softmax entry): the members' mean. */
export function ensembleScore(memberScores: readonly number[]): number {
  if (memberScores.length === 0) throw new InvalidInputError('an ensemble needs at least one member');
  let sum = 0;
  for (const score of memberScores) sum += score;
  return sum / memberScores.length;
}

/**
 * The ensemble's decision threshold on P(live): `given` when set, else the mean of the members'
 * thresholds (0.5 for a member that has none, as the pipeline assumes).
 */
export function ensembleThreshold(memberThresholds: readonly (number | undefined)[], given?: number): number {
  const threshold = given ?? ensembleScore(memberThresholds.map((t) => t ?? 0.5));
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new InvalidInputError(`threshold must be in [0, 1], got ${threshold}`);
  }
  return threshold;
}
