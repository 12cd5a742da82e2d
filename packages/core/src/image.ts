import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { InvalidInputError } from './errors.js';
import type { Frame } from './frame.js';
import { assertFrame } from './frame.js';

/** Where an image comes from: a file path, or the encoded bytes of a JPEG, PNG, WebP, TIFF, GIF or AVIF. */
export type ImageSource = string | Uint8Array;

function describe(source: ImageSource): string {
  return typeof source === 'string' ? source : `<${source.length}-byte buffer>`;
}

/**
 * Decodes an image to an RGB {@link Frame}, whatever it was stored as: grayscale and CMYK are
 * converted to sRGB, transparency is flattened onto white, EXIF orientation is applied.
 */
export async function readImage(source: ImageSource): Promise<Frame> {
  let input: Uint8Array;
  try {
    input = typeof source === 'string' ? await readFile(source) : source;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error);
    throw new InvalidInputError(`cannot read image ${describe(source)}: ${why}`, { cause: error });
  }
  try {
    const { data, info } = await sharp(input, { failOn: 'error' })
      .rotate()
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoder returned ${info.channels} channels`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    throw new InvalidInputError(
      `cannot decode image ${describe(source)}: ${(error as Error).message} (expected JPEG, PNG, WebP, TIFF, GIF or AVIF)`,
      { cause: error },
    );
  }
}

/** Encodes a frame as PNG or JPEG (chosen by `format`). */
export async function encodeImage(
  frame: Frame,
  format: 'png' | 'jpeg' = 'png',
  quality = 90,
): Promise<Buffer> {
  assertFrame(frame);
  const image = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality }).toBuffer();
}

/** Writes a frame to `path`; the format follows the extension (.png, .jpg/.jpeg, .webp). */
export async function writeImage(frame: Frame, path: string): Promise<void> {
  assertFrame(frame);
  await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).toFile(path);
}
