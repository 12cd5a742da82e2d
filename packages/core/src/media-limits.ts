import { InvalidInputError } from './errors.js';

/**
 * Default pixel limit of images and video frames: 40 megapixels (a 7300x5500 photo). Decoding costs
 * about 3 bytes per pixel and more in sharp's caches, so a 4 MB JPEG of 16000x16000 would cost
 * gigabytes; the header is read first and such an image refused before any decoding.
 */
export const DEFAULT_MAX_PIXELS = 40_000_000;

/**
 * Default longest side of a decoded image: larger images are downscaled in the decode itself (JPEG
 * shrink-on-load), since the detectors work at 128 to 300 px and the classifiers at 32 px. At 4096,
 * analyze of an accepted 48-megapixel photo peaked at 550 MB; at 2048, at 330 MB (the CLI's
 * bench/refuse-big-image.mjs).
 */
export const DEFAULT_MAX_SIDE = 2048;

/**
 * The pixel limit when a call gives none: `$FACE_LIVENESS_MAX_PIXELS` (how the CLI, and any app
 * that does not pass options, raises it), else {@link DEFAULT_MAX_PIXELS}.
 */
export function defaultMaxPixels(): number {
  const value = Number(process.env.FACE_LIVENESS_MAX_PIXELS);
  return value > 0 ? value : DEFAULT_MAX_PIXELS;
}

/** Size limits checked on an image's header before it is decoded. */
export interface ImageLimits {
  /** Refuse images with more pixels (width x height) than this. Default {@link defaultMaxPixels}; `Infinity` for none. */
  maxPixels?: number;
  /** Refuse images narrower or lower than this. Default 1. */
  minSide?: number;
}

/** Limits of a video, checked by ffprobe before decoding. */
export interface VideoLimits {
  /** Refuse videos whose frames have more pixels than this. Default {@link defaultMaxPixels}. */
  maxPixels?: number;
  /** Refuse videos longer than this (files whose length is unknown are refused too). Default: no limit. */
  maxDurationMs?: number;
}

function megapixels(pixels: number): string {
  return `${Number((pixels / 1e6).toPrecision(3))} megapixels`;
}

/** Throws when a `width` x `height` image breaks `limits`; the message names the limit and how to raise it. */
export function checkImageSize(name: string, width: number, height: number, limits: ImageLimits = {}): void {
  const maxPixels = limits.maxPixels ?? defaultMaxPixels();
  if (width * height > maxPixels) {
    throw new InvalidInputError(
      `refused image ${name}: ${width}x${height} is ${megapixels(width * height)}, above the limit of ${megapixels(maxPixels)} (raise it with the maxPixels option or FACE_LIVENESS_MAX_PIXELS=<pixels>)`,
    );
  }
  const minSide = limits.minSide ?? 1;
  if (Math.min(width, height) < minSide) {
    throw new InvalidInputError(
      `refused image ${name}: ${width}x${height} is too small, each side must be at least ${minSide} px`,
    );
  }
}

/** Throws when a video breaks `limits`; the message names the limit and how to raise it. */
export function checkVideoSize(
  name: string,
  info: { width: number; height: number; durationMs?: number },
  limits: VideoLimits = {},
): void {
  const maxPixels = limits.maxPixels ?? defaultMaxPixels();
  if (info.width * info.height > maxPixels) {
    throw new InvalidInputError(
      `refused video ${name}: its ${info.width}x${info.height} frames are ${megapixels(info.width * info.height)}, above the limit of ${megapixels(maxPixels)} (raise it with the maxPixels option or FACE_LIVENESS_MAX_PIXELS=<pixels>)`,
    );
  }
  const { maxDurationMs } = limits;
  if (maxDurationMs !== undefined && !((info.durationMs ?? Number.POSITIVE_INFINITY) <= maxDurationMs)) {
    const length = info.durationMs === undefined ? 'of unknown length' : `${(info.durationMs / 1000).toFixed(1)} s long`;
    throw new InvalidInputError(
      `refused video ${name}: it is ${length}, the limit is ${maxDurationMs / 1000} s (raise it with the maxDurationMs option)`,
    );
  }
}

/** `it is empty` or `it is text` when the first bytes of a file say so, for error messages; else undefined. */
export function describeContent(head: Uint8Array): string | undefined {
  if (head.length === 0) return 'it is empty';
  const text = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127));
  return text ? 'it is text' : undefined;
}
