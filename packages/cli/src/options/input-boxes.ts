import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Box, InvalidInputError } from '@face-liveness/core';
import { Flag } from './flag.js';

export const boxes = () =>
  new Flag(
    '--boxes <file>',
    'JSON lines {"image", "box": [x1, y1, x2, y2]} (dlib detector box convention) instead of detecting faces',
  ).helpGroup('Input:');

/** A line of the `--boxes` file. */
export interface BoxLine {
  image: string;
  box: Box;
}

/** The lines of a `--boxes` file, checked one by one (the error names the line). */
export async function* readBoxes(file: string): AsyncGenerator<BoxLine> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new InvalidInputError(
          `${file} line ${n} is not JSON; expected {"image": ..., "box": [x1, y1, x2, y2]}`,
        );
      }
      const { image, box } = (value ?? {}) as Partial<BoxLine>;
      if (
        typeof image !== 'string' ||
        !Array.isArray(box) ||
        box.length !== 4 ||
        !box.every(Number.isFinite)
      ) {
        throw new InvalidInputError(`${file} line ${n} needs {"image": "<file>", "box": [x1, y1, x2, y2]}`);
      }
      yield { image, box };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InvalidInputError(`--boxes file not found: ${file}`);
    }
    throw error;
  }
}
