import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, extname, join, parse, relative, resolve } from 'node:path';
import type { Frame } from '@face-liveness/core';
import {
  IMAGE_EXTENSIONS,
  InvalidInputError,
  isFaceLivenessError,
  readImage,
  readVideo,
  VIDEO_EXTENSIONS,
  writeImage,
} from '@face-liveness/core';
import type { FaceFinder } from './crop.js';
import { bestFace, cropFace } from './crop.js';
import { listFilesRecursively } from './dataset.js';

/** Options of {@link extractFaces}. */
export interface ExtractOptions {
  /** Where the crops go (created). Existing files are never overwritten. */
  outDir: string;
  detector: FaceFinder;
  /** Keep every n-th video frame (the original's `--skip`). Default 1. */
  every?: number;
  /** Box margin for `cropFace`. Default 0. */
  margin?: number;
  /** A saved crop, or a file left alone because it already exists. */
  onCrop?: (event: { source: string; frameIndex?: number; path: string; written: boolean }) => void;
  /** A frame or image without a face, or an unreadable input. */
  onSkip?: (event: { source: string; frameIndex?: number; reason: string }) => void;
  /** After each input (an image, or a whole video): inputs done so far, of all the files found. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link extractFaces} did. */
export interface ExtractSummary {
  written: number;
  existing: number;
  noFace: number;
  unreadable: number;
}

interface Input {
  path: string;
  /** Output name stem, relative to the output folder (keeps the input's folders). */
  stem: string;
  kind: 'image' | 'video';
}

async function collectInputs(inputs: readonly string[]): Promise<Input[]> {
  const kindOf = (path: string) => {
    const ext = extname(path).toLowerCase();
    return IMAGE_EXTENSIONS.includes(ext) ? 'image' : VIDEO_EXTENSIONS.includes(ext) ? 'video' : undefined;
  };
  const found: Input[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    if (!existsSync(path)) throw new InvalidInputError(`input not found: ${path}`);
    if (statSync(path).isDirectory()) {
      for (const file of await listFilesRecursively(path, [...IMAGE_EXTENSIONS, ...VIDEO_EXTENSIONS])) {
        const rel = relative(path, file);
        const stem = join(basename(path), rel.slice(0, rel.length - extname(rel).length));
        found.push({ path: file, stem, kind: kindOf(file) as Input['kind'] });
      }
    } else {
      const kind = kindOf(path);
      if (!kind) {
        throw new InvalidInputError(
          `${path}: unknown file type; images: ${IMAGE_EXTENSIONS.join(' ')}; videos: ${VIDEO_EXTENSIONS.join(' ')}`,
        );
      }
      found.push({ path, stem: parse(path).name, kind });
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The original's step 1 (gather_examples.py): face crops out of images and videos. Each image,
 * and every `every`-th frame of each video, gives the crop of its most confident face, written as
 * PNG under `outDir` (`<name>.png` for an image, `<name>_<frame>.png` for a video frame; folders
 * given as inputs are mirrored). Files already there are kept, so an interrupted run can be resumed.
 */
export async function extractFaces(
  inputs: readonly string[],
  options: ExtractOptions,
): Promise<ExtractSummary> {
  const { every = 1, margin = 0 } = options;
  if (!Number.isInteger(every) || every <= 0)
    throw new InvalidInputError(`every must be a positive integer, got ${every}`);
  const outDir = resolve(options.outDir);
  const files = await collectInputs(inputs);
  if (files.length === 0) throw new InvalidInputError(`no images or videos in ${inputs.join(', ')}`);
  const summary: ExtractSummary = { written: 0, existing: 0, noFace: 0, unreadable: 0 };
  const save = async (input: Input, frame: Frame, frameIndex?: number) => {
    const path = join(outDir, `${input.stem}${frameIndex === undefined ? '' : `_${frameIndex}`}.png`);
    if (existsSync(path)) {
      summary.existing++;
      options.onCrop?.({ source: input.path, frameIndex, path, written: false });
      return;
    }
    const face = await bestFace(options.detector, frame);
    if (!face) {
      summary.noFace++;
      options.onSkip?.({ source: input.path, frameIndex, reason: 'no face found' });
      return;
    }
    await mkdir(parse(path).dir, { recursive: true });
    await writeImage(cropFace(frame, face.box, { margin }), path);
    summary.written++;
    options.onCrop?.({ source: input.path, frameIndex, path, written: true });
  };
  for (const [i, input] of files.entries()) {
    try {
      if (input.kind === 'image') {
        await save(input, await readImage(input.path));
      } else {
        for await (const { frame, index } of await readVideo(input.path)) {
          if (index % every === 0) await save(input, frame, index);
        }
      }
    } catch (error) {
      if (!isFaceLivenessError(error)) throw error;
      summary.unreadable++;
      options.onSkip?.({ source: input.path, reason: error.message });
    }
    options.onProgress?.(i + 1, files.length);
  }
  return summary;
}
