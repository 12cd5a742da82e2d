import { extractFaces } from '@face-liveness/livenessnet/extract';
import type { Command } from 'commander';
import { addCropOptions, type CropFlags, openDetector } from './liveness-options.js';
import { number } from './pipeline-options.js';

interface ExtractFlags extends CropFlags {
  out: string;
  every: number;
  quiet?: boolean;
}

/** `face-liveness extract`: the original's step 1, face crops out of images and videos. */
export function registerExtract(program: Command): void {
  addCropOptions(
    program
      .command('extract')
      .description(
        'Write the face crop of each image and of every n-th video frame (the original gather_examples.py)',
      )
      .argument('<inputs...>', 'images, videos, or folders of them (mirrored under --out)')
      .requiredOption(
        '-o, --out <dir>',
        'folder for the crops (PNG); existing files are kept, never overwritten',
      ),
  )
    .option(
      '-n, --every <n>',
      'keep every n-th video frame (the original --skip)',
      number('--every', true),
      1,
    )
    .option('-q, --quiet', 'print only the summary')
    .action(async (inputs: string[], flags: ExtractFlags) => {
      // extraction always detects: --detect is implied
      const detector = await openDetector({ ...flags, detect: true });
      try {
        const summary = await extractFaces(inputs, {
          outDir: flags.out,
          detector: detector as NonNullable<typeof detector>,
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
      } finally {
        await detector?.close();
      }
    });
}
