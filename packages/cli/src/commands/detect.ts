import { InvalidInputError, isFaceLivenessError, readImage } from '@face-liveness/core';
import {
  createFaceDetector,
  type DetectorChoice,
  FaceDetector,
  type FaceDetectorLike,
} from '@face-liveness/face-detector';
import type { Command } from 'commander';

function number(option: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n >= min && n <= max))
      throw new InvalidInputError(`${option} must be a number in [${min}, ${max}], got "${value}"`);
    return n;
  };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** `face-liveness detect`: faces in images with res10 when installed, else BlazeFace (or the one asked for). */
export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('Find faces in images: res10 SSD when installed, else BlazeFace (ONNX Runtime)')
    .argument('<images...>', 'image files (JPEG, PNG, WebP, TIFF, ...)')
    .option(
      '-m, --model <file>',
      'detector model: converted res10 .onnx, or BlazeFace .tflite/.onnx (default: the store)',
    )
    .option('--detector <name>', 'auto (res10 when installed, else BlazeFace), res10 or blazeface', 'auto')
    .option('-c, --confidence <p>', 'minimum face score', number('--confidence', 0, 1), 0.5)
    .option(
      '--min-face-size <px>',
      'drop faces smaller than this (pixels)',
      number('--min-face-size', 0, 1e6),
      0,
    )
    .option('--threads <n>', 'ONNX Runtime threads', number('--threads', 1, 256), 1)
    .option('--int8', 'use the installed int8 model (res10-ssd-int8) instead of float32', false)
    .option('--json', 'one JSON line per image: {"image","width","height","faces":[{"box","score"}]}', false)
    .action(
      async (
        images: string[],
        options: {
          model?: string;
          detector: DetectorChoice;
          confidence: number;
          minFaceSize: number;
          threads: number;
          int8: boolean;
          json: boolean;
        },
      ) => {
        const common = {
          model: options.model,
          confidence: options.confidence,
          minFaceSize: options.minFaceSize,
          threads: options.threads,
        };
        let detector: FaceDetectorLike;
        if (options.int8) {
          detector = await FaceDetector.create({ ...common, precision: 'int8' });
        } else {
          const selected = await createFaceDetector({ ...common, detector: options.detector });
          process.stderr.write(`face detector: ${selected.name} (${selected.reason})\n`);
          detector = selected;
        }
        let failed = 0;
        try {
          for (const image of images) {
            try {
              const frame = await readImage(image);
              const faces = (await detector.detect(frame)).map((f) => ({
                box: f.box.map(round),
                score: Math.round(f.score * 1e4) / 1e4,
              }));
              if (options.json) {
                process.stdout.write(
                  `${JSON.stringify({ image, width: frame.width, height: frame.height, faces })}\n`,
                );
              } else {
                const list = faces.map((f) => `  [${f.box.join(', ')}] ${f.score}`).join('\n');
                process.stdout.write(
                  `${image} (${frame.width}x${frame.height}): ${faces.length} face(s)${list ? `\n${list}` : ''}\n`,
                );
              }
            } catch (error) {
              // One unreadable image should not hide the results of the others.
              if (!isFaceLivenessError(error)) throw error;
              failed++;
              if (options.json) process.stdout.write(`${JSON.stringify({ image, error: error.message })}\n`);
              else process.stderr.write(`face-liveness: ${error.message}\n`);
            }
          }
        } finally {
          await detector.close();
        }
        if (failed > 0) throw new InvalidInputError(`${failed} of ${images.length} images could not be read`);
      },
    );
}
