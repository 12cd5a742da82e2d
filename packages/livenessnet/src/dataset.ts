import { existsSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import type { Box, Frame } from '@face-liveness/core';
import {
  IMAGE_EXTENSIONS,
  InvalidInputError,
  isFaceLivenessError,
  probeImage,
  resizeBilinear,
} from '@face-liveness/core';
import type { FaceFinder } from './crop.js';
import { bestFace, cropFace } from './crop.js';
import type { LivenessMetadata } from './metadata.js';
import { readImageFor } from './preprocess.js';

/** The class folders of a dataset, in label-index order (the original's LabelEncoder sorts: fake=0, real=1). */
export const DATASET_CLASSES = ['fake', 'real'] as const;

/** One image of a dataset. */
export interface DatasetItem {
  /** Absolute path. */
  path: string;
  /** Path relative to the dataset root, e.g. `fake/print/0001.jpg`. */
  relativePath: string;
  /** `real` or `fake`. */
  label: string;
  /** Index of `label` in {@link DATASET_CLASSES}. */
  labelIndex: number;
}

/** An image that could not be used, and why. */
export interface SkippedImage {
  path: string;
  reason: string;
}

/** Files under `dir` whose extension is in `extensions`, sorted; symlinked folders are followed (once each). */
export async function listFilesRecursively(dir: string, extensions: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const visited = new Set<string>();
  const walk = async (folder: string) => {
    const real = await realpath(folder);
    if (visited.has(real)) return;
    visited.add(real);
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const target = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : entry;
      if (target?.isDirectory()) await walk(path);
      else if (target?.isFile() && extensions.includes(extname(entry.name).toLowerCase())) found.push(path);
    }
  };
  await walk(dir);
  return found.sort();
}

/**
 * Lists a dataset: a folder with `real/` and `fake/` subfolders (nested folders allowed), every
 * image file under them. An absent or empty class folder is an {@link InvalidInputError} naming it.
 */
export async function listDataset(dir: string): Promise<DatasetItem[]> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new InvalidInputError(
      `dataset ${root} is not a directory (expected ${root}/real/ and ${root}/fake/)`,
    );
  }
  const items: DatasetItem[] = [];
  for (const [labelIndex, label] of DATASET_CLASSES.entries()) {
    const classDir = join(root, label);
    if (!existsSync(classDir) || !statSync(classDir).isDirectory()) {
      throw new InvalidInputError(
        `dataset ${root} has no ${label}/ folder: put ${label} face images in ${classDir}`,
      );
    }
    const paths = await listFilesRecursively(classDir, IMAGE_EXTENSIONS);
    if (paths.length === 0) {
      throw new InvalidInputError(
        `class folder ${classDir} holds no images (${IMAGE_EXTENSIONS.join(' ')}); both real/ and fake/ need some`,
      );
    }
    for (const path of paths) items.push({ path, relativePath: relative(root, path), label, labelIndex });
  }
  return items;
}

/** How images become face crops. */
export interface CropSourceOptions {
  /** Full frames: find the face with this detector (most confident face) and crop it; default: images are crops. */
  detector?: FaceFinder;
  /** Box margin for {@link cropFace}; default 0. */
  margin?: number;
  /** Decoder the model expects (metadata `preprocessing.decoder`); default `standard`. */
  decoder?: LivenessMetadata['preprocessing']['decoder'];
  /**
   * Unreadable images and frames without a face: `skip` them (each reported to `onSkip`; the
   * default) or `fail` with an error naming the file.
   */
  onError?: 'skip' | 'fail';
  onSkip?: (skipped: SkippedImage) => void;
  /**
   * Without a detector, refuse images narrower or lower than this (from the header): a tiny image
   * holds no face to judge, and a model would score upscaled blur. Default 1.
   */
  minSide?: number;
}

/** A face crop of {@link readFaceCrops}; with a detector also the frame and the face's box in it. */
export interface FaceCrop {
  item: DatasetItem;
  crop: Frame;
  found?: { frame: Frame; box: Box };
}

/**
 * Reads the face crop of each item, in order, one at a time (constant memory). Unusable images
 * are skipped or fail per `onError`.
 */
export async function* readFaceCrops(
  items: readonly DatasetItem[],
  options: CropSourceOptions = {},
): AsyncGenerator<FaceCrop> {
  const decode = { preprocessing: { scale: 1, resize: 'bilinear' as const, decoder: options.decoder } };
  for (const item of items) {
    let crop: Frame | undefined;
    let found: FaceCrop['found'];
    let reason = '';
    try {
      if (!options.detector && options.minSide) await probeImage(item.path, { minSide: options.minSide });
      const frame = await readImageFor(decode, item.path);
      if (options.detector) {
        const face = await bestFace(options.detector, frame);
        if (face) {
          crop = cropFace(frame, face.box, { margin: options.margin });
          found = { frame, box: face.box };
        } else reason = 'no face found';
      } else {
        crop = frame;
      }
    } catch (error) {
      if (!isFaceLivenessError(error)) throw error;
      reason = error.message;
    }
    if (crop) {
      yield { item, crop, found };
    } else if (options.onError === 'fail') {
      throw new InvalidInputError(
        `cannot use ${item.path}: ${reason} (strict mode stops at unusable images)`,
      );
    } else {
      options.onSkip?.({ path: item.path, reason });
    }
  }
}

/** A dataset in memory, every crop resized to the model input. */
export interface LoadedDataset {
  items: DatasetItem[];
  frames: Frame[];
  labels: Int32Array;
  skipped: SkippedImage[];
}

/**
 * Lists and reads a whole dataset, resizing every face crop to `width` x `height` (OpenCV
 * INTER_LINEAR, aspect ratio ignored as in the original). A class left without usable images is an error.
 */
export async function loadDataset(
  dir: string,
  options: CropSourceOptions & {
    width: number;
    height: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<LoadedDataset> {
  const listed = await listDataset(dir);
  const items: DatasetItem[] = [];
  const frames: Frame[] = [];
  const skipped: SkippedImage[] = [];
  let done = 0;
  const onSkip = (s: SkippedImage) => {
    skipped.push(s);
    options.onSkip?.(s);
    options.onProgress?.(++done, listed.length);
  };
  for await (const { item, crop } of readFaceCrops(listed, { ...options, onSkip })) {
    items.push(item);
    frames.push(resizeBilinear(crop, options.width, options.height));
    options.onProgress?.(++done, listed.length);
  }
  for (const label of DATASET_CLASSES) {
    if (!items.some((item) => item.label === label)) {
      throw new InvalidInputError(
        `no usable image in ${join(resolve(dir), label)}: all ${listed.filter((i) => i.label === label).length} were skipped ` +
          `(first: ${skipped.find((s) => s.path.startsWith(join(resolve(dir), label)))?.reason})`,
      );
    }
  }
  return { items, frames, labels: Int32Array.from(items, (item) => item.labelIndex), skipped };
}
