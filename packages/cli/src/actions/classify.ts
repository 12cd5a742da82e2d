import { probeImage, scaleBox } from '@face-liveness/core';
import { type ClassifierFlags, MIN_CROP_SIDE } from '../options/classifier.js';
import { classificationLines } from '../print/classification.js';
import { eachInput } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';
import type { Classifiers } from './classifier.js';

interface ClassifyFlags extends ClassifierFlags {
  json?: boolean;
  quiet?: boolean;
}

export async function action(images: string[], flags: ClassifyFlags): Promise<void> {
  let classifier: Classifiers | undefined;
  // Imported once an image passed its header check: a run of refused images loads no model library.
  let classifyImage: typeof import('./classifier.js').classifyImage;
  try {
    await eachInput(
      images,
      {
        json: flags.json,
        quiet: flags.quiet,
        key: 'image',
        failure: 'images could not be classified',
        check: (image) => probeImage(image, { minSide: flags.detect ? 1 : MIN_CROP_SIDE }),
        prepare: async () => {
          const lib = await import('./classifier.js');
          classifyImage = lib.classifyImage;
          classifier = await lib.openClassifiers(flags);
        },
      },
      async (image, print) => {
        const open = classifier as Classifiers;
        const scores = await classifyImage(open, image);
        if ('faces' in scores) {
          const { scale } = await originalPixels(image);
          for (const face of scores.faces) face.box = scaleBox(face.box, scale);
        }
        print(classificationLines(image, scores, open.threshold, flags.json));
      },
    );
  } finally {
    await classifier?.close();
  }
}
