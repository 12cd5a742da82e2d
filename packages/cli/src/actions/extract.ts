import { FaceLivenessError } from '@face-liveness/core';
import { extractFaces } from '@face-liveness/livenessnet/extract';
import { type DetectorFlags, openDetector } from '../options/detector.js';
import { progressCallback } from '../print/batch-progress.js';

// The reason extractFaces gives a frame without a face: a skip, not a failure.
const NO_FACE = 'no face found';

interface ExtractFlags extends DetectorFlags {
  out: string;
  every: number;
  margin?: number;
  quiet?: boolean;
}

export async function action(inputs: string[], flags: ExtractFlags): Promise<void> {
  const detector = await openDetector(flags);
  const progress = progressCallback('inputs', flags.quiet);
  try {
    const summary = await extractFaces(inputs, {
      outDir: flags.out,
      detector,
      every: flags.every,
      margin: flags.margin,
      onCrop: (e) => {
        if (!flags.quiet) progress.print(`${e.written ? 'wrote' : 'kept existing'} ${e.path}`);
      },
      onSkip: (e) => {
        if (e.reason !== NO_FACE) progress.fail();
        const frame = e.frameIndex === undefined ? '' : ` frame ${e.frameIndex}`;
        progress.print(`skipped ${e.source}${frame}: ${e.reason}`, true);
      },
      onProgress: progress.onProgress,
    });
    progress.stop();
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
    progress.stop();
    await detector.close();
  }
}
