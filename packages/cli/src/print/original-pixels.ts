import { decodedSize, type Point, probeImage } from '@face-liveness/core';

/**
 * An image file's own size, and what to multiply coordinates in its decoded frame by to get its
 * own pixels: readImage downscales images over 2048 px, the CLI prints in the file's pixels.
 */
export async function originalPixels(
  image: string,
): Promise<{ width: number; height: number; scale: number }> {
  const info = await probeImage(image);
  return { width: info.width, height: info.height, scale: info.width / decodedSize(info)[0] };
}

export const scalePointsBy = (points: Point[], scale: number): Point[] =>
  scale === 1 ? points : points.map(([x, y]) => [x * scale, y * scale] as Point);
