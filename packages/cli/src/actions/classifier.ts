import type { Box, ClassifierLike, Frame } from '@face-liveness/core';
import {
  ensembleScore,
  ensembleThreshold,
  type LivenessModelLike,
  readImageFor,
} from '@face-liveness/livenessnet';
import { LivenessEngine, loadClassifiers } from '@face-liveness/pipeline';
import type { ClassifierFlags } from '../options/classifier.js';
import { openDetector } from '../options/detector.js';
import { classifierModel, inputSize } from '../options/model.js';

/**
 * The classifiers `-m` names, loaded as the pipeline loads them, and with `--detect` an engine
 * around them and the face detector: it finds the faces and scores each as `analyze` does (each
 * classifier frames the face as it was trained: its `classifyFace`, else a crop with its own
 * margin; `--margin` forces crops; the mean P(live) of the classifiers).
 */
export interface Classifiers {
  list: ClassifierLike[];
  /** `--threshold`, else the mean of the classifiers' own. */
  threshold: number;
  engine?: LivenessEngine;
  /** How images are decoded for a LivenessNet model imported from Keras (OpenCV's decoder); else standard. */
  decoder?: LivenessModelLike['decoder'];
  close(): Promise<void>;
}

export async function openClassifiers(flags: ClassifierFlags): Promise<Classifiers> {
  const list = await loadClassifiers(classifierModel(flags), {
    inputSize: inputSize(flags),
    backend: flags.backend,
  });
  const closeAll = () => Promise.all(list.map((c) => c.close()));
  try {
    const threshold = ensembleThreshold(
      list.map((c) => c.threshold),
      flags.threshold,
    );
    const detector = flags.detect ? await openDetector(flags) : undefined;
    const engine = detector
      ? new LivenessEngine(
          { detector, landmarker: null, classifiers: list },
          { cropMargin: flags.margin, minFaceSize: 0 },
        )
      : undefined;
    const decoder = list.map((c) => (c as Partial<LivenessModelLike>).decoder).find((d) => d !== undefined);
    return {
      list,
      threshold,
      engine,
      decoder,
      close: async () => void (await (engine?.close() ?? closeAll())),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** P(live) of a face crop: the mean of the classifiers'. */
export async function scoreCrop(classifiers: Classifiers, crop: Frame): Promise<number> {
  return ensembleScore(await Promise.all(classifiers.list.map(async (c) => (await c.classify(crop)).score)));
}

/** What `classify` finds in an image: P(live) of the whole image, or with `--detect` of each face. */
export type ImageScores = { score: number } | { faces: { box: Box; score: number }[] };

export async function classifyImage(classifiers: Classifiers, image: string): Promise<ImageScores> {
  const frame = await readImageFor(
    { preprocessing: { scale: 1, resize: 'bilinear', decoder: classifiers.decoder } },
    image,
  );
  const { engine } = classifiers;
  if (!engine) return { score: await scoreCrop(classifiers, frame) };
  const { faces } = await engine.detectFaces(frame);
  return {
    faces: await Promise.all(
      faces.map(async ({ box }) => ({ box, score: await engine.scoreFace(frame, box) })),
    ),
  };
}

/**
 * The classifiers as evaluateModel's model: crops scored in batches where the classifier batches
 * (LivenessNet), and the mean P(live).
 */
export function evaluationModel(classifiers: Classifiers): LivenessModelLike {
  const score = async (crops: readonly Frame[]) => {
    const each = await Promise.all(
      classifiers.list.map(async (c) => {
        const batch = (c as Partial<LivenessModelLike>).classifyBatch;
        const results = batch
          ? await batch.call(c, crops)
          : await Promise.all(crops.map((f) => c.classify(f)));
        return results.map((r) => r.score);
      }),
    );
    return crops.map((_, i) => ensembleScore(each.map((scores) => scores[i])));
  };
  // Indexed like classNames below.
  const result = (p: number) => {
    const label = p >= classifiers.threshold ? 'real' : 'fake';
    return { label, score: p, probabilities: [1 - p, p] };
  };
  return {
    classNames: ['fake', 'real'],
    threshold: classifiers.threshold,
    decoder: classifiers.decoder ?? 'standard',
    cropMargin: classifiers.list[0].cropMargin ?? 0,
    classify: async (crop) => result((await score([crop]))[0]),
    classifyBatch: async (crops) => (await score(crops)).map(result),
    close: classifiers.close,
  };
}
