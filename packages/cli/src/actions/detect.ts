import { readImage, scaleBox } from '@face-liveness/core';
import { type DetectorFlags, openDetector } from '../options/detector.js';
import { detectionLine } from '../print/detections.js';
import { eachImage } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';

interface DetectFlags extends DetectorFlags {
  json?: boolean;
  quiet?: boolean;
}

export async function action(images: string[], flags: DetectFlags): Promise<void> {
  await eachImage(images, { ...flags, open: () => openDetector(flags) }, async (image, detector, print) => {
    const original = await originalPixels(image);
    const found = await detector.detect(await readImage(image));
    const faces = found.map((f) => ({ ...f, box: scaleBox(f.box, original.scale) }));
    print(detectionLine(image, original, faces, flags.json));
  });
}
