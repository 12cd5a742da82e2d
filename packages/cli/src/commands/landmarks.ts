import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Box, InvalidInputError, isFaceLivenessError, type Point, readImage } from '@face-liveness/core';
import { createFaceDetector } from '@face-liveness/face-detector';
import { predictFromFace, resolveShapePredictor, ShapePredictor } from '@face-liveness/landmarks';
import type { Command } from 'commander';

const round = (v: number) => Math.round(v * 100) / 100;

interface BoxLine {
  image: string;
  box: Box;
}

async function* readBoxes(file: string): AsyncGenerator<BoxLine> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new InvalidInputError(
          `${file} line ${n} is not JSON; expected {"image": ..., "box": [x1, y1, x2, y2]}`,
        );
      }
      const { image, box } = (value ?? {}) as Partial<BoxLine>;
      if (
        typeof image !== 'string' ||
        !Array.isArray(box) ||
        box.length !== 4 ||
        !box.every(Number.isFinite)
      ) {
        throw new InvalidInputError(`${file} line ${n} needs {"image": "<file>", "box": [x1, y1, x2, y2]}`);
      }
      yield { image, box };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InvalidInputError(`--boxes file not found: ${file}`);
    }
    throw error;
  }
}

/** `face-liveness landmarks`: dlib's 68 points for given boxes, or for the faces the detector finds. */
export function registerLandmarks(program: Command): void {
  program
    .command('landmarks')
    .description("68 face landmarks with dlib's shape predictor (run in TypeScript)")
    .argument('[images...]', 'images to find faces in (without --boxes)')
    .option(
      '-p, --predictor <file>',
      "dlib shape predictor .dat (default: the store's dlib-shape68, else /usr/share/dlib/shape_predictor_68_face_landmarks.dat)",
    )
    .option('--boxes <file>', 'JSON lines {"image", "box": [x1, y1, x2, y2]} in dlib-detector box convention')
    .option('--detector <name>', 'without --boxes: auto | res10 | blazeface', 'auto')
    .option('--json', 'print JSON lines {"image", "box", "points": [[x, y] x 68]}', false)
    .action(
      async (
        images: string[],
        options: { predictor?: string; boxes?: string; detector: string; json: boolean },
      ) => {
        if (options.boxes && images.length) {
          throw new InvalidInputError('give either --boxes FILE or image files, not both');
        }
        if (!options.boxes && !images.length) {
          throw new InvalidInputError('give image files, or --boxes FILE with lines {"image", "box"}');
        }
        const sp = await ShapePredictor.load(await resolveShapePredictor(options.predictor));
        const print = (image: string, box: Box, points: Point[]) => {
          const rounded = points.map(([x, y]) => [round(x), round(y)]);
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ image, box: box.map(round), points: rounded })}\n`);
          } else {
            process.stdout.write(
              `${image} [${box.map(round).join(', ')}]: ${rounded.map((p) => p.join(',')).join(' ')}\n`,
            );
          }
        };
        if (options.boxes) {
          let frame: Awaited<ReturnType<typeof readImage>> | undefined;
          let frameOf = '';
          for await (const { image, box } of readBoxes(options.boxes)) {
            if (image !== frameOf) [frame, frameOf] = [await readImage(image), image];
            print(image, box, sp.predict(frame as NonNullable<typeof frame>, box));
          }
          return;
        }
        const detector = await createFaceDetector({ detector: options.detector as 'auto' });
        let failed = 0;
        try {
          for (const image of images) {
            try {
              const frame = await readImage(image);
              for (const face of await detector.detect(frame)) {
                print(image, face.box, predictFromFace(sp, frame, face, detector.name));
              }
            } catch (error) {
              if (!isFaceLivenessError(error)) throw error;
              failed++;
              process.stderr.write(`face-liveness: ${error.message}\n`);
            }
          }
        } finally {
          await detector.close();
        }
        if (failed > 0) throw new InvalidInputError(`${failed} of ${images.length} images could not be read`);
      },
    );
}
