import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, ModelNotFoundError } from '@face-liveness/core';

/** The models shipped in this package's `models/` folder. */
export const MINIFASNET_MODELS_DIR = fileURLToPath(new URL('../models', import.meta.url));

/** Names of the shipped classifiers: both models fused (Silent-Face's demo), or one of them. */
export const MINIFASNET_NAMES = ['minifasnet', 'minifasnet-v2', 'minifasnet-v1se'] as const;
export type MiniFasNetName = (typeof MINIFASNET_NAMES)[number];

export function isMiniFasNetName(name: string): name is MiniFasNetName {
  return (MINIFASNET_NAMES as readonly string[]).includes(name);
}

/** One ONNX model and the framing it was trained on. */
export interface MiniFasNetMember {
  path: string;
  /** The face box is enlarged this many times (Silent-Face's crop scale). */
  scale: number;
  /** Square input side in pixels. */
  size: number;
}

/** Where a classifier's models are and its decision threshold. */
export interface MiniFasNetModel {
  name: string;
  members: MiniFasNetMember[];
  threshold: number;
  /** How the threshold was chosen. */
  thresholdFrom: string;
  /** Output index of the live class. */
  liveIndex: number;
}

interface Metadata {
  liveIndex: number;
  models: Record<MiniFasNetName, { files: string[]; threshold: number; thresholdFrom: string }>;
}

/**
 * The crop scale and input size written in a Silent-Face model file name, as its
 * `parse_model_name` reads them: `2.7_80x80_MiniFASNetV2.onnx` -> 2.7, 80; `4_0_0_80x80_...` -> 4
 * (only the first field is the scale).
 */
export function parseModelName(path: string): MiniFasNetMember {
  const parts = basename(path)
    .replace(/\.onnx$/i, '')
    .split('_');
  const scale = Number(parts[0]);
  const [w, h] = (parts.at(-2) ?? '').split('x').map(Number);
  if (!(scale >= 1) || !Number.isInteger(w) || w !== h) {
    throw new InvalidInputError(
      `${path}: not a Silent-Face model name (SCALE_..._WxH_TYPE.onnx, e.g. 2.7_80x80_MiniFASNetV2.onnx, ` +
        'square input, scale >= 1; "org" whole-image models are not supported)',
    );
  }
  return { path, scale, size: w };
}

function readMetadata(): Metadata {
  return JSON.parse(readFileSync(join(MINIFASNET_MODELS_DIR, 'metadata.json'), 'utf8'));
}

/**
 * A shipped classifier by name (with its dev threshold), or Silent-Face models from a path: one
 * `.onnx` file, or a directory whose `.onnx` files are fused as Silent-Face's demo fuses its model
 * directory (threshold 0.5, its argmax, unless given).
 */
export function resolveMiniFasNet(nameOrPath: string): MiniFasNetModel {
  const metadata = readMetadata();
  if (isMiniFasNetName(nameOrPath)) {
    const entry = metadata.models[nameOrPath];
    return {
      name: nameOrPath,
      members: entry.files.map((f) => parseModelName(join(MINIFASNET_MODELS_DIR, f))),
      threshold: entry.threshold,
      thresholdFrom: entry.thresholdFrom,
      liveIndex: metadata.liveIndex,
    };
  }
  const path = resolve(nameOrPath);
  if (!existsSync(path)) {
    throw new ModelNotFoundError(
      `${nameOrPath} is neither a MiniFASNet name (${MINIFASNET_NAMES.join(', ')}) nor an existing file or directory`,
    );
  }
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.onnx'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) throw new ModelNotFoundError(`${path} holds no .onnx model`);
  return {
    name: basename(path),
    members: files.map(parseModelName),
    threshold: 0.5,
    thresholdFrom: 'argmax (Silent-Face demo)',
    liveIndex: metadata.liveIndex,
  };
}
