import { readImage } from '@face-liveness/core';
import { assessFrameQuality, shapePredictorLandmarker } from '@face-liveness/pipeline';
import type { DetectorFlags } from '../options/detector.js';
import { openLandmarkModels } from '../options/landmarks.js';
import { eachImage } from '../print/each-input.js';
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
  // The models open once an image passed its header check: a run of refused images loads none.
  const open = () => openLandmarkModels(flags);
  await eachImage(images, { ...flags, open }, async (image, { predictor, detector }, print) => {
    const { width, height, scale } = await originalPixels(image);
    const frame = await readImage(image);
    const landmarker = shapePredictorLandmarker(predictor);
    const found = await detector.detect(frame);
    const faces = await Promise.all(
      found.map(async ({ box, keypoints }) => ({
        box,
        landmarks: await landmarker.predict(frame, box, keypoints),
      })),
    );
    print(
      qualityLines({ image, width, height, quality: assessFrameQuality(frame, faces), scale }, flags.json),
    );
  });
}
