import { type FaceDetectorLike, probeImage, readImage } from '@face-liveness/core';
import type { ShapePredictor } from '@face-liveness/landmarks';
import { assessFrameQuality, shapePredictorLandmarker } from '@face-liveness/pipeline';
import { type DetectorFlags, openDetector } from '../options/detector.js';
import { openShapePredictor } from '../options/landmarks.js';
import { eachInput } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';
import { qualityLines } from '../print/quality.js';

interface QualityFlags extends DetectorFlags {
  shapePredictor?: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * Each image's faces, landmarks and quality. An image of poor quality is a result, not a failure:
 * only unreadable images make the command fail.
 */
export async function action(images: string[], flags: QualityFlags): Promise<void> {
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
}
