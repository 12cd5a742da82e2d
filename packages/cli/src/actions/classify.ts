import { scaleBox } from '@face-liveness/core';
import { type ClassifierFlags, MIN_CROP_SIDE } from '../options/classifier.js';
import { classificationLines } from '../print/classification.js';
import { eachImage } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';

interface ClassifyFlags extends ClassifierFlags {
  json?: boolean;
  quiet?: boolean;
}

export async function action(images: string[], flags: ClassifyFlags): Promise<void> {
  // Imported once an image passed its header check: a run of refused images loads no model library.
  const lib = () => import('./classifier.js');
  await eachImage(
    images,
    {
      ...flags,
      failure: 'images could not be classified',
      minSide: flags.detect ? 1 : MIN_CROP_SIDE,
      open: async () => (await lib()).openClassifiers(flags),
    },
    async (image, classifiers, print) => {
      const scores = await (await lib()).classifyImage(classifiers, image);
      if ('faces' in scores) {
        const { scale } = await originalPixels(image);
        for (const face of scores.faces) face.box = scaleBox(face.box, scale);
      }
      print(classificationLines(image, scores, classifiers.threshold, flags.json));
    },
  );
}
