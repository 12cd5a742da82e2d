import { type FaceDetectorLike, probeImage, readImage, scaleBox } from '@face-liveness/core';
import type { Command } from 'commander';
import {
  confidence,
  type DetectorFlags,
  detectorKind,
  detectorModel,
  int8,
  minFaceSize,
  openDetector,
  threads,
} from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { json, quiet, verbose } from '../options/output.js';
import { detectionLine } from '../print/detections.js';
import { eachInput } from '../print/each-input.js';
import { originalPixels } from '../print/original-pixels.js';

interface DetectFlags extends DetectorFlags {
  json?: boolean;
  quiet?: boolean;
}

/** `face-liveness detect`: faces in images with res10 when installed, else BlazeFace (or the one asked for). */
export function registerDetect(program: Command): void {
  const cmd = program
    .command('detect')
    .description('Find faces in images: res10 SSD when installed, else BlazeFace (ONNX Runtime)')
    .argument('<images...>', 'image files (JPEG, PNG, WebP, TIFF, ...)');
  addFlags(cmd, [
    detectorKind(),
    detectorModel(),
    confidence(),
    minFaceSize(0),
    threads(),
    int8(),
    json('one line per image, {"image","width","height","faces":[{"box","score"}]}'),
    quiet(),
    verbose(),
  ]).action(async (images: string[], flags: DetectFlags) => {
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
  });
}
