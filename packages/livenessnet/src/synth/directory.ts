import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import {
  createRng,
  encodeImage,
  hashSeed,
  IMAGE_EXTENSIONS,
  InvalidInputError,
  isImagePath,
  readImage,
} from '@face-liveness/core';
import { type AttackKind, synthesizeAttack } from './attack.js';

/** Options of {@link synthesizeDirectory}. */
export interface SynthesizeDirectoryOptions {
  /** Folder of bona fide images (searched recursively); each image should show one face, e.g. a face crop. */
  inDir: string;
  /** Folder the attacks are written to (created if needed), mirroring `inDir`'s sub-folders, as PNG. */
  outDir: string;
  /** Attack kinds to make. Default: both `print` and `replay`. */
  kinds?: AttackKind[];
  /** Attacks per input image and kind. Default 1. */
  perImage?: number;
  /** Seed; each output's random state derives from (seed, input path, kind, index). Default 0. */
  seed?: number;
  /** Called after each input image with the count done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link synthesizeDirectory} did. */
export interface SynthesizeDirectorySummary {
  inputs: number;
  written: string[];
  /** Outputs that already existed and were left untouched. */
  skipped: string[];
}

async function listImages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && isImagePath(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Makes `perImage` synthetic attacks of each kind from every image under `inDir`. Outputs are named
 * `<stem>.<kind><index>.png`; an output that exists is never overwritten (it is listed as skipped), so
 * the command can be re-run or extended with a larger `perImage`. Because each output's seed depends
 * only on its own name, adding inputs does not change the attacks made from the others.
 */
export async function synthesizeDirectory(
  options: SynthesizeDirectoryOptions,
): Promise<SynthesizeDirectorySummary> {
  const { inDir, outDir, kinds = ['print', 'replay'], perImage = 1, seed = 0, onProgress } = options;
  if (!Number.isInteger(perImage) || perImage < 1) {
    throw new InvalidInputError(`--per-image must be a positive integer, got ${perImage}`);
  }
  if (!Number.isInteger(seed)) throw new InvalidInputError(`--seed must be an integer, got ${seed}`);
  const inStat = await stat(inDir).catch(() => undefined);
  if (!inStat?.isDirectory()) {
    throw new InvalidInputError(`--in ${inDir} is not a folder: give a folder of bona fide face images`);
  }
  const inputs = await listImages(inDir);
  if (inputs.length === 0) {
    throw new InvalidInputError(`--in ${inDir} holds no images (${IMAGE_EXTENSIONS.join(', ')})`);
  }
  const summary: SynthesizeDirectorySummary = { inputs: inputs.length, written: [], skipped: [] };
  for (const [done, input] of inputs.entries()) {
    const rel = relative(inDir, input);
    const stem = basename(rel, extname(rel));
    const targetDir = join(outDir, dirname(rel));
    await mkdir(targetDir, { recursive: true });
    const frame = await readImage(input);
    for (const kind of kinds) {
      for (let index = 0; index < perImage; index++) {
        const target = join(targetDir, `${stem}.${kind}${index}.png`);
        if (existsSync(target)) {
          summary.skipped.push(target);
          continue;
        }
        const attack = await synthesizeAttack(frame, kind, createRng(hashSeed(seed, rel, kind, index)));
        try {
          await writeFile(target, await encodeImage(attack, 'png'), { flag: 'wx' });
          summary.written.push(target);
        } catch (error) {
          // Created by someone else since the check above: still never overwrite.
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          summary.skipped.push(target);
        }
      }
    }
    onProgress?.(done + 1, inputs.length);
  }
  return summary;
}
