import { FaceLivenessError } from '@face-liveness/core';
import { extractFaces } from '@face-liveness/livenessnet/extract';
import { type DetectorFlags, openDetector } from '../options/detector.js';

interface ExtractFlags extends DetectorFlags {
  out: string;
  every: number;
  margin?: number;
  quiet?: boolean;
}

export async function action(inputs: string[], flags: ExtractFlags): Promise<void> {
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
}
