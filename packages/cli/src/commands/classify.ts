import { probeImage, scaleBox } from '@face-liveness/core';
import type { Command } from 'commander';
import {
  type ClassifierFlags,
  classifyImage,
  margin,
  type OpenClassifier,
  openClassifier,
  threshold,
} from '../options/classifier.js';
import { confidence, detect, detectorKind, detectorModel } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { backend, height, model, width } from '../options/model.js';
import { json, quiet, verbose } from '../options/output.js';
import { classificationLines } from '../print/classification.js';
import { eachInput } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';

// A crop smaller than this holds no face to judge (the model would score upscaled blur).
const MIN_CROP_SIDE = 16;

interface ClassifyFlags extends ClassifierFlags {
  json?: boolean;
  quiet?: boolean;
}

/** `face-liveness classify`: P(live) of face crops, or of every face found with --detect. */
export function registerClassify(program: Command): void {
  const cmd = program
    .command('classify')
    .description('Print P(live) of each image (a face crop), or of each face found in it with --detect')
    .argument('<images...>', 'image files');
  addFlags(cmd, [
    model(),
    width(),
    height(),
    backend(),
    threshold(),
    margin(),
    detect(),
    detectorKind(),
    detectorModel(),
    confidence(),
    json('one line per image, {"image","score"} or, with --detect, {"image","faces":[{"box","score"}]}'),
    quiet(),
    verbose(),
  ]).action(async (images: string[], flags: ClassifyFlags) => {
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
  });
}
