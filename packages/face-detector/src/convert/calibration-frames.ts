import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Frame, InvalidInputError, readImage } from '@face-liveness/core';

const IMAGE_FILE = /\.(jpe?g|png|webp|tiff?|bmp|gif|avif)$/i;

/** Up to `max` images of `dir` (recursively), spread evenly over the sorted list. */
export async function calibrationFrames(dir: string, max = 32): Promise<Frame[]> {
  let files: string[];
  try {
    files = (await readdir(dir, { recursive: true })).filter((f) => IMAGE_FILE.test(f)).sort();
  } catch (error) {
    throw new InvalidInputError(
      `cannot read the calibration folder ${resolve(dir)}: ${(error as Error).message}`,
    );
  }
  if (files.length === 0)
    throw new InvalidInputError(`the calibration folder ${resolve(dir)} holds no images`);
  const step = Math.max(1, files.length / max);
  const picked = Array.from({ length: Math.min(max, files.length) }, (_, i) => files[Math.floor(i * step)]);
  return Promise.all(picked.map((f) => readImage(join(dir, f))));
}
