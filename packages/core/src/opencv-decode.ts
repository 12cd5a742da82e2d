import sharp from 'sharp';
import type { Frame } from './frame.js';
import type { ImageSource, ReadImageOptions } from './image.js';
import { decodedSize, decodeError, probeImage, readImage } from './image.js';

/**
 * Decodes an image to RGB as OpenCV's `cv2.imread` does, for models trained on OpenCV-decoded data.
 * It differs from {@link readImage} only for CMYK JPEGs: OpenCV ignores their ICC profile and uses a
 * plain integer formula, which gives visibly different colours. The limits are {@link readImage}'s.
 */
export async function readImageLikeOpenCV(
  source: ImageSource,
  options: ReadImageOptions = {},
): Promise<Frame> {
  const info = await probeImage(source, options);
  if (info.space !== 'cmyk') return readImage(source, options);
  const [width, height] = decodedSize(info, options.maxSide);
  const failOn = options.failOn ?? 'warning';
  let image = sharp(source, { failOn, limitInputPixels: false }).rotate();
  if (width !== info.width) image = image.resize({ width, height, fit: 'fill', fastShrinkOnLoad: true });
  const { data, info: out } = await image
    .pipelineColourspace('cmyk')
    .toColourspace('cmyk')
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error) => {
      throw decodeError(source, error);
    });
  const pixels = out.width * out.height;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    // libjpeg hands OpenCV inverted (Adobe) CMYK; icvCvt_CMYK2BGR_8u_C4C3R then computes k - ((255 - c) * k >> 8).
    const k = 255 - data[p * 4 + 3];
    for (let ch = 0; ch < 3; ch++) {
      const c = 255 - data[p * 4 + ch];
      rgb[p * 3 + ch] = k - (((255 - c) * k) >> 8);
    }
  }
  return { data: rgb, width: out.width, height: out.height };
}
