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
import { json, verbose } from '../options/output.js';
import { classificationLines } from '../print/classification.js';

interface ClassifyFlags extends ClassifierFlags {
  json?: boolean;
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
    verbose(),
  ]).action(async (images: string[], flags: ClassifyFlags) => {
    const classifier = await openClassifier(flags);
    try {
      for (const image of images) {
        const scores = await classifyImage(classifier, image);
        process.stdout.write(
          `${classificationLines(image, scores, classifier.model.threshold, flags.json)}\n`,
        );
      }
    } finally {
      await classifier.close();
    }
  });
}
