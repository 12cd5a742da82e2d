import { cropFace, readImageFor } from '@face-liveness/livenessnet';
import type { Command } from 'commander';
import {
  addCropOptions,
  type CropFlags,
  inputSize,
  openDetector,
  openLivenessModel,
} from './liveness-options.js';
import { number } from './pipeline-options.js';

interface ClassifyFlags extends CropFlags {
  model?: string;
  json?: boolean;
  threshold?: number;
  width?: number;
  height?: number;
}

/** `face-liveness classify`: P(live) of face crops, or of every face found with --detect. */
export function registerClassify(program: Command): void {
  addCropOptions(
    program
      .command('classify')
      .description('Print P(live) of each image (a face crop), or of each face found in it with --detect')
      .argument('<images...>', 'image files'),
  )
    .option(
      '-m, --model <path>',
      'model directory, Keras .h5, or ensemble directory (default: the store’s livenessnet)',
    )
    .option('-w, --width <px>', 'expected model input width (checked)', number('--width', true))
    .option('--he, --height <px>', 'expected model input height (-he; checked)', number('--height', true))
    .option('--threshold <p>', 'decision threshold on P(live) (default: the model’s)', number('--threshold'))
    .option(
      '--json',
      'one JSON object per line: {"image","score"} or, with --detect, {"image","faces":[{"box","score"}]}',
    )
    .action(async (images: string[], flags: ClassifyFlags) => {
      const model = await openLivenessModel(flags.model, {
        backend: flags.backend,
        expectInputSize: inputSize(flags),
        threshold: flags.threshold,
      });
      const detector = await openDetector(flags).catch(async (error) => {
        model.close();
        throw error;
      });
      const label = (score: number) => (score >= model.threshold ? 'real' : 'fake');
      try {
        for (const image of images) {
          const frame = await readImageFor(
            { preprocessing: { scale: 1, resize: 'bilinear', decoder: model.decoder } },
            image,
          );
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
          const results = await model.classifyBatch(
            found.map((f) => cropFace(frame, f.box, { margin: flags.margin })),
          );
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
        model.close();
        await detector?.close();
      }
    });
}
