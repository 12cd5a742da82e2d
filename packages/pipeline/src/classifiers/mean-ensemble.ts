import { type Box, type ClassifierLike, type Frame, InvalidInputError } from '@face-liveness/core';
import { cropFace, ensembleScore } from '@face-liveness/livenessnet';
import { boxInCrop } from '@face-liveness/minifasnet';
import { meanFramedScore } from './framing.js';

/**
 * Several classifiers as one, with a threshold of its own on their mean P(live): the threshold chosen on
 * dev for this mean, which the mean of the members' own thresholds (the engine's rule for classifiers given
 * separately) need not be. Each member frames the face as it was trained. Closing it closes the members.
 */
export class MeanEnsemble implements ClassifierLike {
  /** The widest member margin: `classify` takes a crop made with it and gives each member its own part. */
  readonly cropMargin: number;

  constructor(
    readonly members: readonly ClassifierLike[],
    readonly threshold: number,
  ) {
    if (members.length === 0) throw new InvalidInputError('a mean ensemble needs at least one member');
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new InvalidInputError(`the ensemble's threshold must be in [0, 1], got ${threshold}`);
    }
    this.cropMargin = Math.max(...members.map((m) => m.cropMargin ?? 0));
  }

  /** The members' mean P(live) of the face in `box`, each framed as it was trained. */
  async classifyFace(frame: Frame, box: Box): Promise<{ score: number }> {
    return { score: await meanFramedScore(this.members, frame, box, undefined) };
  }

  /**
   * The members' mean P(live) of a face crop made with {@link cropMargin} per side: a member trained on a
   * narrower margin sees the centre part its margin keeps.
   */
  async classify(crop: Frame): Promise<{ score: number }> {
    const box = boxInCrop(crop, this.cropMargin);
    const scores = await Promise.all(
      this.members.map(async (m) => {
        const margin = m.cropMargin ?? 0;
        const part = margin === this.cropMargin ? crop : cropFace(crop, box, { margin });
        return (await m.classify(part)).score;
      }),
    );
    return { score: ensembleScore(scores) };
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.close()));
  }
}
