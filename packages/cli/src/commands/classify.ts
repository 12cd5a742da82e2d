import { probeImage } from '@face-liveness/core';
import type { Command } from 'commander';
import {
  type ClassifierFlags,
  classifyImage,
  margin,
  openClassifier,
  threshold,
} from '../options/classifier.js';
import { confidence, detect, detectorKind, detectorModel } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { backend, height, model, width } from '../options/model.js';
import { json, quiet, verbose } from '../options/output.js';
import { classificationLines } from '../print/classification.js';
import { eachInput } from '../print/each-input.js';

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
    const classifier = await openClassifier(flags);
    try {
      await eachInput(
        images,
        { json: flags.json, quiet: flags.quiet, key: 'image', failure: 'images could not be classified' },
        async (image, print) => {
          if (!flags.detect) await probeImage(image, { minSide: MIN_CROP_SIDE });
          const scores = await classifyImage(classifier, image);
          print(classificationLines(image, scores, classifier.model.threshold, flags.json));
        },
      );
    } finally {
      await classifier.close();
    }
  });
}
