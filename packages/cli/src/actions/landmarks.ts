import { type Frame, InvalidInputError, readImage, scaleBox } from '@face-liveness/core';
import type { ShapePredictor } from '@face-liveness/landmarks';
import { facePose } from '@face-liveness/pipeline';
import type { DetectorFlags } from '../options/detector.js';
import { landmarksOfImage, openLandmarkModels, openShapePredictor } from '../options/landmarks.js';
import { eachImage, eachInput } from '../print/each-input.js';
import { landmarksLine } from '../print/landmarks.js';
import { originalPixels, scalePointsBy } from '../print/original-pixels.js';
import { type BoxEntry, checkBox, readBoxes } from './input-boxes.js';

interface LandmarksFlags extends DetectorFlags {
  shapePredictor?: string;
  boxes?: string;
  json?: boolean;
  quiet?: boolean;
}

/** The points for each usable line of a `--boxes` file; a bad line or image is reported and skipped. */
async function landmarksOfBoxes(
  predictor: ShapePredictor,
  file: string,
  flags: LandmarksFlags,
): Promise<void> {
  const entries = new Map<string, BoxEntry>((await readBoxes(file)).map((e) => [e.where, e]));
  let frame: Frame | undefined;
  let frameOf = '';
  await eachInput(
    [...entries.keys()],
    {
      json: flags.json,
      quiet: flags.quiet,
      key: 'line',
      noun: 'boxes',
      failure: 'box lines could not be used',
    },
    async (where, print) => {
      const entry = entries.get(where) as BoxEntry;
      if ('error' in entry) throw entry.error;
      const { image, box } = entry.value;
      if (image !== frameOf) {
        // Boxes are in the image's own pixels: no downscaling.
        const read = await readImage(image, { maxSide: Number.POSITIVE_INFINITY }).catch((error: Error) => {
          throw new InvalidInputError(`${where}: ${error.message}`, { cause: error });
        });
        [frame, frameOf] = [read, image];
      }
      checkBox(box, frame as Frame, where);
      const points = predictor.predict(frame as Frame, box);
      print(landmarksLine({ image, box, points }, flags.json, facePose(points, frame as Frame)));
    },
  );
}

export async function action(images: string[], flags: LandmarksFlags): Promise<void> {
  if (flags.boxes && images.length)
    throw new InvalidInputError('give either --boxes FILE or image files, not both');
  if (!flags.boxes && !images.length) {
    throw new InvalidInputError('give image files, or --boxes FILE with lines {"image", "box"}');
  }
  if (flags.boxes) {
    const predictor = await openShapePredictor(flags);
    try {
      await landmarksOfBoxes(predictor, flags.boxes, flags);
    } finally {
      await predictor.close();
    }
    return;
  }
  // The models open once an image passed its header check: a run of refused images loads none.
  const open = () => openLandmarkModels(flags);
  await eachImage(images, { ...flags, open }, async (image, { predictor, detector }, print) => {
    const { scale, width, height } = await originalPixels(image);
    for (const face of await landmarksOfImage(predictor, detector, image)) {
      const points = scalePointsBy(face.points, scale);
      const pose = facePose(points, { width, height });
      print(landmarksLine({ image, box: scaleBox(face.box, scale), points }, flags.json, pose));
    }
  });
}
