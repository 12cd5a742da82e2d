import { cropFace, readImageFor } from '@face-liveness/livenessnet';
import type { Command } from 'commander';
import { addModelOptions, type ModelFlags, openModelAndDetector } from './liveness-options.js';

interface ClassifyFlags extends ModelFlags {
  json?: boolean;
}

/** `face-liveness classify`: P(live) of face crops, or of every face found with --detect. */
export function registerClassify(program: Command): void {
  addModelOptions(
    program
      .command('classify')
      .description('Print P(live) of each image (a face crop), or of each face found in it with --detect')
      .argument('<images...>', 'image files'),
  )
    .option(
      '--json',
      'one JSON object per line: {"image","score"} or, with --detect, {"image","faces":[{"box","score"}]}',
    )
    .action(async (images: string[], flags: ClassifyFlags) => {
      const { model, detector, margin, close } = await openModelAndDetector(flags);
      const label = (score: number) => (score >= model.threshold ? 'real' : 'fake');
      const decoding = { preprocessing: { scale: 1, resize: 'bilinear' as const, decoder: model.decoder } };
      try {
        for (const image of images) {
          const frame = await readImageFor(decoding, image);
          if (!detector) {
            const { score } = await model.classify(frame);
            process.stdout.write(
              flags.json
                ? `${JSON.stringify({ image, score })}\n`
                : `${image}\t${label(score)}\t${score.toFixed(4)}\n`,
            );
            continue;
          }
          const found = await detector.detect(frame);
          const results = await model.classifyBatch(found.map((f) => cropFace(frame, f.box, { margin })));
          const faces = found.map((f, i) => ({
            box: f.box.map((v) => Math.round(v)),
            score: results[i].score,
          }));
          if (flags.json) {
            process.stdout.write(`${JSON.stringify({ image, faces })}\n`);
          } else if (faces.length === 0) {
            process.stdout.write(`${image}\tno face\n`);
          } else {
            for (const face of faces) {
              process.stdout.write(
                `${image}\t[${face.box.join(',')}]\t${label(face.score)}\t${face.score.toFixed(4)}\n`,
              );
            }
          }
        }
      } finally {
        await close();
      }
    });
}
