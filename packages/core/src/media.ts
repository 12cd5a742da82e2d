import { extname } from 'node:path';

/** File extensions read as still images (what sharp decodes). */
export const IMAGE_EXTENSIONS: readonly string[] = [
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.tif',
  '.tiff',
  '.avif',
  '.bmp',
  '.gif',
];

/** File extensions read as videos (what ffmpeg decodes). */
export const VIDEO_EXTENSIONS: readonly string[] = [
  '.mp4',
  '.mov',
  '.avi',
  '.mkv',
  '.webm',
  '.m4v',
  '.mpg',
  '.mpeg',
  '.wmv',
  '.3gp',
];

/** True for a path whose extension names an image format. */
export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** True for a path whose extension names a video container. */
export function isVideoPath(path: string): boolean {
  return VIDEO_EXTENSIONS.includes(extname(path).toLowerCase());
}

/**
 * The camera device a media source names, or undefined for a file: a camera index (`0`, `1`, ...
 * as a number or a string) is `/dev/videoN`; a `/dev/video...` path is itself.
 */
export function cameraDevice(source: string | number): string | undefined {
  const text = String(source);
  if (/^\d+$/.test(text)) return `/dev/video${text}`;
  if (text.startsWith('/dev/video')) return text;
  return undefined;
}
