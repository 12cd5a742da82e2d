import { probeImage, scaleBox } from '@face-liveness/core';
import type { ClassifierFlags } from '../options/classifier.js';
import { classificationLines } from '../print/classification.js';
import { eachInput } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';
import { classifyImage, type OpenClassifier, openClassifier } from './classifier.js';

// A crop smaller than this holds no face to judge (the model would score upscaled blur).
const MIN_CROP_SIDE = 16;

interface ClassifyFlags extends ClassifierFlags {
  json?: boolean;
  quiet?: boolean;
}

export async function action(images: string[], flags: ClassifyFlags): Promise<void> {
  let classifier: OpenClassifier | undefined;
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
          classifier = await openClassifier(flags);
        },
      },
      async (image, print) => {
        const open = classifier as OpenClassifier;
        const scores = await classifyImage(open, image);
        if ('faces' in scores) {
          const { scale } = await originalPixels(image);
          for (const face of scores.faces) face.box = scaleBox(face.box, scale);
        }
        print(classificationLines(image, scores, open.model.threshold, flags.json));
      },
    );
  } finally {
    await classifier?.close();
  }
}
