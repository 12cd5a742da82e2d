import { readFile } from 'node:fs/promises';
import { type Box, containedFraction, type Frame, InvalidInputError } from '@face-liveness/core';

/** A line of the `--boxes` file. */
export interface BoxLine {
  image: string;
  box: Box;
}

/** One non-empty line of a `--boxes` file: `file:line`, and its box or why it cannot be used. */
export type BoxEntry = { where: string } & ({ value: BoxLine } | { error: InvalidInputError });

function parse(text: string, where: string): BoxLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`${where} is not JSON; expected {"image": ..., "box": [x1, y1, x2, y2]}`);
  }
  const { image, box } = (value ?? {}) as Partial<BoxLine>;
  if (typeof image !== 'string' || !Array.isArray(box) || box.length !== 4 || !box.every(Number.isFinite)) {
    throw new InvalidInputError(`${where} needs {"image": "<file>", "box": [x1, y1, x2, y2]}`);
  }
  return { image, box };
}

/**
 * The lines of a `--boxes` file, each checked on its own, so that one bad line does not stop the
 * others (the error names the line: `boxes.jsonl line 3`).
 */
export async function readBoxes(file: string): Promise<BoxEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InvalidInputError(`--boxes file not found: ${file}`);
    }
    throw error;
  }
  return text.split(/\r?\n/).flatMap((line, i): BoxEntry[] => {
    if (!line.trim()) return [];
    const where = `${file} line ${i + 1}`;
    try {
      return [{ where, value: parse(line, where) }];
    } catch (error) {
      return [{ where, error: error as InvalidInputError }];
    }
  });
}

/** Refuses a box that is empty or lies mostly (over half) outside the frame: its points would be noise. */
export function checkBox(box: Box, frame: Frame, where: string): void {
  const [x1, y1, x2, y2] = box;
  const size = `${frame.width}x${frame.height}`;
  if (!(x2 > x1 && y2 > y1))
    throw new InvalidInputError(`${where}: box [${box.join(', ')}] is empty (x2 <= x1 or y2 <= y1)`);
  if (containedFraction(box, [0, 0, frame.width, frame.height]) < 0.5) {
    throw new InvalidInputError(`${where}: box [${box.join(', ')}] lies mostly outside the ${size} image`);
  }
}
