import { InvalidInputError } from '@face-liveness/core';
import type { Command } from 'commander';
import { boxes } from '../options/boxes.js';
import {
  confidence,
  type DetectorFlags,
  detectorKind,
  detectorModel,
  openDetector,
} from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import {
  landmarksOfBoxes,
  landmarksOfImage,
  openShapePredictor,
  shapePredictor,
} from '../options/landmarks.js';
import { json, verbose } from '../options/output.js';
import { eachInput } from '../print/each-input.js';
import { landmarksLine } from '../print/landmarks.js';

interface LandmarksFlags extends DetectorFlags {
  shapePredictor?: string;
  boxes?: string;
  json?: boolean;
}

/** `face-liveness landmarks`: dlib's 68 points for given boxes, or for the faces the detector finds. */
export function registerLandmarks(program: Command): void {
  const cmd = program
    .command('landmarks')
    .description("68 face landmarks with dlib's shape predictor (run in TypeScript)")
    .argument('[images...]', 'images to find faces in (without --boxes)');
  addFlags(cmd, [
    shapePredictor(),
    boxes(),
    detectorKind(),
    detectorModel(),
    confidence(),
    json('one line per face, {"image","box","points":[[x, y] x 68]}'),
    verbose(),
  ]).action(async (images: string[], flags: LandmarksFlags) => {
    if (flags.boxes && images.length)
      throw new InvalidInputError('give either --boxes FILE or image files, not both');
    if (!flags.boxes && !images.length) {
      throw new InvalidInputError('give image files, or --boxes FILE with lines {"image", "box"}');
    }
    const predictor = await openShapePredictor(flags);
    const print = (face: Parameters<typeof landmarksLine>[0]) =>
      process.stdout.write(`${landmarksLine(face, flags.json)}\n`);
    try {
      if (flags.boxes) {
        for await (const face of landmarksOfBoxes(predictor, flags.boxes)) print(face);
        return;
      }
      const detector = await openDetector(flags);
      try {
        await eachInput(images, { key: 'image', failure: 'images could not be read' }, async (image) => {
          for (const face of await landmarksOfImage(predictor, detector, image)) print(face);
        });
      } finally {
        await detector.close();
      }
    } finally {
      await predictor.close();
    }
  });
}
