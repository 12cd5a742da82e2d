import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Frame } from './frame.js';
import type { ImageSource } from './image.js';
import { readImage } from './image.js';

/**
 * Decodes an image to RGB as OpenCV's `cv2.imread` does, for models trained on OpenCV-decoded data.
 * It differs from {@link readImage} only for CMYK JPEGs: OpenCV ignores their ICC profile and uses a
 * plain integer formula, which gives visibly different colours.
 */
export async function readImageLikeOpenCV(source: ImageSource): Promise<Frame> {
  const input = typeof source === 'string' ? await readFile(source).catch(() => undefined) : source;
  const space =
    input &&
    (
      await sharp(input)
        .metadata()
        .catch(() => undefined)
    )?.space;
  if (!input || space !== 'cmyk') return readImage(source);
  const { data, info } = await sharp(input, { failOn: 'error' })
    .rotate()
    .pipelineColourspace('cmyk')
    .toColourspace('cmyk')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = info.width * info.height;
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    // libjpeg hands OpenCV inverted (Adobe) CMYK; icvCvt_CMYK2BGR_8u_C4C3R then computes k - ((255 - c) * k >> 8).
    const k = 255 - data[p * 4 + 3];
    for (let ch = 0; ch < 3; ch++) {
      const c = 255 - data[p * 4 + ch];
      out[p * 3 + ch] = k - (((255 - c) * k) >> 8);
    }
  }
  return { data: out, width: info.width, height: info.height };
}
