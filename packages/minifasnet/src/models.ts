import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultStoreDir,
  InvalidInputError,
  ModelFormatError,
  ModelNotFoundError,
} from '@face-liveness/core';

/** This package's `models/` folder: the names' metadata (files, sha256, dev thresholds), not the models. */
export const MINIFASNET_METADATA_DIR = fileURLToPath(new URL('../models', import.meta.url));

/** Where a published package holds the model files (placed there when it is packed; absent in a checkout). */
const PACKAGED_DIR = MINIFASNET_METADATA_DIR;

/**
 * Where the named models' files are looked for: `FACE_LIVENESS_MINIFASNET_DIR`, else this package's
 * `models/` when it holds them (the published package does), else `minifasnet/` in the model store
 * (`$FACE_LIVENESS_HOME`, default ~/.cache/face-liveness).
 */
export function miniFasNetDir(): string {
  if (process.env.FACE_LIVENESS_MINIFASNET_DIR) return process.env.FACE_LIVENESS_MINIFASNET_DIR;
  const metadata = readMetadata();
  const packaged = Object.keys(metadata.sha256).every((f) => existsSync(join(PACKAGED_DIR, f)));
  return packaged ? PACKAGED_DIR : join(defaultStoreDir(), 'minifasnet');
}

/** Names of the classifiers: both models fused (Silent-Face's demo), or one of them. */
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
  /** sha256 of each model file, as Silent-Face's ONNX conversion gives it. */
  sha256: Record<string, string>;
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
  return JSON.parse(readFileSync(join(MINIFASNET_METADATA_DIR, 'metadata.json'), 'utf8'));
}

/**
 * The named model files in {@link miniFasNetDir}, each checked against its sha256 (another file
 * under the same name would be scored with thresholds chosen for these).
 */
function namedFiles(files: readonly string[], metadata: Metadata): string[] {
  const dir = miniFasNetDir();
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new ModelNotFoundError(
      `MiniFASNet model files not found in ${dir}: ${missing.join(', ')}. They are Silent-Face-Anti-Spoofing's ` +
        'Apache-2.0 models (resources/anti_spoof_models, in ONNX; see models/README.md of @face-liveness/minifasnet): ' +
        `put them in ${dir}, or set FACE_LIVENESS_MINIFASNET_DIR to the folder that holds them, or pass that folder as the model`,
    );
  }
  return files.map((f) => {
    const path = join(dir, f);
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    if (sha256 !== metadata.sha256[f]) {
      throw new ModelFormatError(
        `${path} is not the MiniFASNet model the name stands for (sha256 ${sha256}, expected ${metadata.sha256[f]}); replace it, or pass it as a path (threshold 0.5)`,
      );
    }
    return path;
  });
}

/**
 * A classifier by name (its files in {@link miniFasNetDir}, with its dev threshold), or Silent-Face models from a path: one
 * `.onnx` file, or a directory whose `.onnx` files are fused as Silent-Face's demo fuses its model
 * directory (threshold 0.5, its argmax, unless given).
 */
export function resolveMiniFasNet(nameOrPath: string): MiniFasNetModel {
  const metadata = readMetadata();
  if (isMiniFasNetName(nameOrPath)) {
    const entry = metadata.models[nameOrPath];
    return {
      name: nameOrPath,
      members: namedFiles(entry.files, metadata).map(parseModelName),
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
