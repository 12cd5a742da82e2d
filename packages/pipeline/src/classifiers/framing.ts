import type { Box, ClassifierLike, Frame } from '@face-liveness/core';
import { cropFace, ensembleScore } from '@face-liveness/livenessnet';

/**
 * P(live) of the face in `box` as `classifier` was trained to see it: its own `classifyFace` (it frames the
 * face itself), else a crop with its `cropMargin`. A `margin` forces crops with that margin for every
 * classifier, members of an ensemble included. `crops` shares one crop per margin between the classifiers of
 * one face.
 */
export async function scoreFramed(
  classifier: ClassifierLike,
  frame: Frame,
  box: Box,
  margin: number | undefined,
  crops: Map<number, Frame> = new Map(),
): Promise<number> {
  if (classifier.classifyFace && margin === undefined)
    return (await classifier.classifyFace(frame, box)).score;
  // A forced margin reaches every member of an ensemble (MeanEnsemble), as it reaches separate classifiers.
  const { members } = classifier as { members?: readonly ClassifierLike[] };
  if (members && margin !== undefined) return meanFramedScore(members, frame, box, margin, crops);
  const m = margin ?? classifier.cropMargin ?? 0;
  let crop = crops.get(m);
  if (!crop) {
    crop = cropFace(frame, box, { margin: m });
    crops.set(m, crop);
  }
  return (await classifier.classify(crop)).score;
}

/**
 * The classifiers' mean P(live) of the face in `box`, each framed by {@link scoreFramed}: the project's one
 * ensemble rule, for the engine's classifiers and an ensemble's members alike.
 */
export async function meanFramedScore(
  classifiers: readonly ClassifierLike[],
  frame: Frame,
  box: Box,
  margin: number | undefined,
  crops: Map<number, Frame> = new Map(),
): Promise<number> {
  return ensembleScore(await Promise.all(classifiers.map((c) => scoreFramed(c, frame, box, margin, crops))));
}
