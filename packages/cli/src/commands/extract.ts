import { FaceLivenessError } from '@face-liveness/core';
import { extractFaces } from '@face-liveness/livenessnet/extract';
import type { Command } from 'commander';
import { margin } from '../options/classifier.js';
import {
  confidence,
  type DetectorFlags,
  detectorKind,
  detectorModel,
  openDetector,
} from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { every } from '../options/input.js';
import { out, quiet, verbose } from '../options/output.js';

interface ExtractFlags extends DetectorFlags {
  out: string;
  every: number;
  margin?: number;
  quiet?: boolean;
}

/** `face-liveness extract`: the original's step 1, face crops out of images and videos. */
export function registerExtract(program: Command): void {
  const cmd = program
    .command('extract')
    .description(
      'Write the face crop of each image and of every n-th video frame (the original gather_examples.py)',
    )
    .argument('<inputs...>', 'images, videos, or folders of them (mirrored under --out)');
  addFlags(cmd, [
    out(
      'dir',
      'folder for the crops (PNG); existing files are kept, never overwritten',
    ).makeOptionMandatory(),
    every(),
    margin(),
    detectorKind(),
    detectorModel(),
    confidence(),
    quiet(),
    verbose(),
  ]).action(async (inputs: string[], flags: ExtractFlags) => {
    const detector = await openDetector(flags);
    try {
      const summary = await extractFaces(inputs, {
        outDir: flags.out,
        detector,
        every: flags.every,
        margin: flags.margin,
        onCrop: (e) => {
          if (!flags.quiet) process.stdout.write(`${e.written ? 'wrote' : 'kept existing'} ${e.path}\n`);
        },
        onSkip: (e) =>
          process.stderr.write(
            `skipped ${e.source}${e.frameIndex === undefined ? '' : ` frame ${e.frameIndex}`}: ${e.reason}\n`,
          ),
      });
      process.stdout.write(
        `${summary.written} crops written, ${summary.existing} already there, ${summary.noFace} without a face, ${summary.unreadable} unreadable\n`,
      );
      if (summary.unreadable > 0) {
        throw new FaceLivenessError(
          'ERR_INPUT_FAILED',
          `${summary.unreadable} input${summary.unreadable === 1 ? '' : 's'} could not be read (named above)`,
        );
      }
    } finally {
      await detector.close();
    }
  });
}
