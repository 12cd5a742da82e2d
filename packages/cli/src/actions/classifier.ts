import type { Box, FaceDetectorLike } from '@face-liveness/core';
import { cropFace, type LivenessModelLike, readImageFor } from '@face-liveness/livenessnet';
import type { ClassifierFlags } from '../options/classifier.js';
import { openDetector } from '../options/detector.js';
import { openLivenessModel } from '../options/model.js';

/** The model, the face detector when `--detect` asks for one, and the crop margin; `close()` releases both. */
export interface OpenClassifier {
  model: LivenessModelLike;
  detector?: FaceDetectorLike;
  /** `--margin`, else the margin the model was trained with. */
  margin: number;
  close(): Promise<void>;
}

export async function openClassifier(flags: ClassifierFlags): Promise<OpenClassifier> {
  const model = await openLivenessModel(flags, flags.threshold);
  try {
    const detector = flags.detect ? await openDetector(flags) : undefined;
    return {
      model,
      detector,
      margin: flags.margin ?? model.cropMargin,
      close: async () => {
        await model.close();
        await detector?.close();
      },
    };
  } catch (error) {
    await model.close();
    throw error;
  }
}

/** What `classify` finds in an image: P(live) of the whole image, or with `--detect` of each face. */
export type ImageScores = { score: number } | { faces: { box: Box; score: number }[] };

export async function classifyImage(classifier: OpenClassifier, image: string): Promise<ImageScores> {
  const { model, detector, margin } = classifier;
  const frame = await readImageFor(
    { preprocessing: { scale: 1, resize: 'bilinear', decoder: model.decoder } },
    image,
  );
  if (!detector) return { score: (await model.classify(frame)).score };
  const found = await detector.detect(frame);
  const results = await model.classifyBatch(found.map((f) => cropFace(frame, f.box, { margin })));
  return { faces: found.map((f, i) => ({ box: f.box, score: results[i].score })) };
}
