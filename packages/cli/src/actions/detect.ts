import { type FaceDetectorLike, probeImage, readImage, scaleBox } from '@face-liveness/core';
import { type DetectorFlags, openDetector } from '../options/detector.js';
import { detectionLine } from '../print/detections.js';
import { eachInput } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';

interface DetectFlags extends DetectorFlags {
  json?: boolean;
  quiet?: boolean;
}

export async function action(images: string[], flags: DetectFlags): Promise<void> {
  let detector: FaceDetectorLike | undefined;
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
          detector = await openDetector(flags);
        },
      },
      async (image, print) => {
        const original = await originalPixels(image);
        const found = await (detector as FaceDetectorLike).detect(await readImage(image));
        const faces = found.map((f) => ({ ...f, box: scaleBox(f.box, original.scale) }));
        print(detectionLine(image, original, faces, flags.json));
      },
    );
  } finally {
    await detector?.close();
  }
}
