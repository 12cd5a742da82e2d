import { open, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { InvalidInputError } from './errors.js';
import type { Frame } from './frame.js';
import { assertFrame } from './frame.js';
import { checkImageSize, DEFAULT_MAX_SIDE, describeContent, type ImageLimits } from './media-limits.js';

/** Where an image comes from: a file path, or the encoded bytes of a JPEG, PNG, WebP, TIFF, GIF or AVIF. */
export type ImageSource = string | Uint8Array;

const FORMATS = '(expected JPEG, PNG, WebP, TIFF, GIF or AVIF)';
/** The formats of {@link FORMATS} as sharp names them (AVIF is `heif`). */
const IMAGE_FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'tiff', 'gif', 'heif'];

function describe(source: ImageSource): string {
  return typeof source === 'string' ? source : `<${source.length}-byte buffer>`;
}

/** What an image's header says, read without decoding its pixels. */
export interface ImageInfo {
  /** Size after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** sharp's name of the format, e.g. `jpeg`, `png`. */
  format: string;
  /** sharp's name of the colour space, e.g. `srgb`, `b-w`, `cmyk`. */
  space?: string;
}

/** Options of {@link readImage}: the header limits, then how to decode. */
export interface ReadImageOptions extends ImageLimits {
  /**
   * Downscale, in the decode itself (JPEG shrink-on-load), so that neither side exceeds this.
   * Default {@link DEFAULT_MAX_SIDE}; `Infinity` keeps every pixel.
   */
  maxSide?: number;
  /**
   * `warning` (default) refuses images whose data the decoder finds corrupt or truncated;
   * `error` decodes what it can of them, as browsers do.
   */
  failOn?: 'warning' | 'error';
}

async function head(path: string): Promise<Uint8Array> {
  const file = await open(path);
  try {
    const bytes = new Uint8Array(64);
    const { bytesRead } = await file.read(bytes, 0, bytes.length, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

async function checkFile(path: string): Promise<void> {
  try {
    if ((await stat(path)).isDirectory())
      throw new InvalidInputError(`cannot read image ${path}: it is a directory`);
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : String(error);
    throw new InvalidInputError(`cannot read image ${path}: ${why}`, { cause: error });
  }
}

/**
 * Reads an image's size and format from its header, without decoding it, and checks `limits`
 * (a 16000x16000 JPEG is refused in about a millisecond).
 * @throws InvalidInputError naming the source when it is missing, not an image, or breaks a limit.
 */
export async function probeImage(source: ImageSource, limits: ImageLimits = {}): Promise<ImageInfo> {
  if (typeof source === 'string') await checkFile(source);
  let info: ImageInfo;
  try {
    // sharp's own pixel limit (268 MP) would refuse a bomb with a misleading message before ours.
    const meta = await sharp(source, { limitInputPixels: false }).metadata();
    if (!(meta.width && meta.height && meta.format)) throw new Error('no image size in its header');
    // sharp also reads SVG, PDF, raw... which are no camera's images (an SVG named .jpg passed).
    if (!IMAGE_FORMATS.includes(meta.format)) throw new Error(`it is ${meta.format.toUpperCase()}`);
    const turned = (meta.orientation ?? 1) >= 5;
    info = {
      width: turned ? meta.height : meta.width,
      height: turned ? meta.width : meta.height,
      format: meta.format,
      space: meta.space,
    };
  } catch (error) {
    const bytes = typeof source === 'string' ? await head(source) : source.subarray(0, 64);
    const why = describeContent(bytes) ?? (error as Error).message;
    throw new InvalidInputError(`cannot decode image ${describe(source)}: ${why} ${FORMATS}`, {
      cause: error,
    });
  }
  checkImageSize(describe(source), info.width, info.height, limits);
  return info;
}

/** The error of a failed decode, saying whether the data is damaged. */
export function decodeError(source: ImageSource, error: unknown): InvalidInputError {
  const message = (error as Error).message.trim().split('\n')[0];
  const damaged = /corrupt|premature end|truncated|invalid|bad /i.test(message);
  const why = damaged ? `the image data is damaged (${message})` : `${message} ${FORMATS}`;
  return new InvalidInputError(`cannot decode image ${describe(source)}: ${why}`, { cause: error });
}

/**
 * The size {@link readImage} decodes an image of `info`'s size to: the same, or scaled down so that
 * its longer side is `maxSide` (default {@link DEFAULT_MAX_SIDE}). Divide a frame's coordinates by
 * `size[0] / info.width` to get the original image's.
 */
export function decodedSize(
  info: { width: number; height: number },
  maxSide = DEFAULT_MAX_SIDE,
): [number, number] {
  const scale = maxSide / Math.max(info.width, info.height);
  if (scale >= 1) return [info.width, info.height];
  return [Math.max(1, Math.round(info.width * scale)), Math.max(1, Math.round(info.height * scale))];
}

/**
 * Decodes an image to an RGB {@link Frame}, whatever it was stored as: grayscale and CMYK are
 * converted to sRGB, transparency is flattened onto white, EXIF orientation is applied. The header
 * is checked first (see {@link ReadImageOptions}): images above 40 megapixels are refused before
 * decoding, and images larger than 2048 px are downscaled while they are decoded.
 * @throws InvalidInputError naming the source when it is missing, not an image, damaged or too large.
 */
export async function readImage(source: ImageSource, options: ReadImageOptions = {}): Promise<Frame> {
  const info = await probeImage(source, options);
  const [width, height] = decodedSize(info, options.maxSide);
  const failOn = options.failOn ?? 'warning';
  try {
    let image = sharp(source, { failOn, limitInputPixels: false }).rotate();
    if (width !== info.width) image = image.resize({ width, height, fit: 'fill', fastShrinkOnLoad: true });
    const { data, info: out } = await image
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (out.channels !== 3) throw new Error(`decoder returned ${out.channels} channels`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: out.width,
      height: out.height,
    };
  } catch (error) {
    throw decodeError(source, error);
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
