import { type FaceDetectorLike, probeImage, readImage } from '@face-liveness/core';
import type { ShapePredictor } from '@face-liveness/landmarks';
import { assessFrameQuality, shapePredictorLandmarker } from '@face-liveness/pipeline';
import type { Command } from 'commander';
import {
  confidence,
  type DetectorFlags,
  detectorKind,
  detectorModel,
  openDetector,
} from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { openShapePredictor, shapePredictor } from '../options/landmarks.js';
import { json, quiet, verbose } from '../options/output.js';
import { eachInput } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';
import { qualityLines } from '../print/quality.js';

interface QualityFlags extends DetectorFlags {
  shapePredictor?: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * `face-liveness quality`: whether each image is good enough for a liveness check (one face, large,
 * sharp, well exposed, facing the camera, eyes open), with what to do about each problem. An image
 * whose quality is poor is a result, not a failure: only unreadable images make the command fail.
 */
export function registerQuality(program: Command): void {
  const cmd = program
    .command('quality')
    .description(
      'Check that images are fit for a liveness check: face count, size, sharpness, exposure, pose, eyes',
    )
    .argument('<images...>', 'image files (JPEG, PNG, WebP, TIFF, ...)');
  addFlags(cmd, [
    shapePredictor(),
    detectorKind(),
    detectorModel(),
    confidence(),
    json(
      'one line per image, {"image","width","height","ok","frame":[checks],"faces":[{"box","ok","pose","checks"}]}',
    ),
    quiet(),
    verbose(),
  ]).action(async (images: string[], flags: QualityFlags) => {
    let detector: FaceDetectorLike | undefined;
    let predictor: ShapePredictor | undefined;
    try {
      await eachInput(
        images,
        {
          json: flags.json,
          quiet: flags.quiet,
          key: 'image',
          failure: 'images could not be read',
          check: (image) => probeImage(image),
          prepare: async () => {
            predictor = await openShapePredictor(flags);
            detector = await openDetector(flags);
          },
        },
        async (image, print) => {
          const { width, height, scale } = await originalPixels(image);
          const frame = await readImage(image);
          const landmarker = shapePredictorLandmarker(predictor as ShapePredictor);
          const found = await (detector as FaceDetectorLike).detect(frame);
          const faces = await Promise.all(
            found.map(async ({ box, keypoints }) => ({
              box,
              landmarks: await landmarker.predict(frame, box, keypoints),
            })),
          );
          const quality = assessFrameQuality(frame, faces);
          print(qualityLines({ image, width, height, quality, scale }, flags.json));
        },
      );
    } finally {
      await Promise.all([detector?.close(), predictor?.close()]);
    }
  });
}
