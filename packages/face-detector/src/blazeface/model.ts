import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { InvalidInputError, type ModelEntry, ModelNotFoundError, ModelStore } from '@face-liveness/core';
import { parseTflite } from '../tflite/model.js';
import { tfliteToOnnx } from '../tflite/to-onnx.js';
import { BLAZEFACE_VARIANTS, type BlazeFaceRange } from './variants.js';

/** Store key of the converted short-range BlazeFace model. */
export const BLAZEFACE_MODEL_NAME = BLAZEFACE_VARIANTS.short.modelName;
const PACKAGE = '@mediapipe/face_detection';

/** Path of the range's `.tflite` inside the installed `@mediapipe/face_detection`. */
export function bundledBlazeFacePath(range: BlazeFaceRange = 'short'): string {
  const file = `${PACKAGE}/${BLAZEFACE_VARIANTS[range].tflite}`;
  try {
    return createRequire(import.meta.url).resolve(file);
  } catch {
    throw new ModelNotFoundError(
      `${file} is not installed; run \`npm install ${PACKAGE}\` (it is a dependency of @face-liveness/face-detector)`,
    );
  }
}

/** Reads a BlazeFace `.tflite` file and converts it to ONNX bytes. */
export async function convertBlazeFace(tflitePath: string): Promise<Uint8Array> {
  return toOnnx(await readFile(tflitePath), tflitePath);
}

function toOnnx(tflite: Uint8Array, what: string): Uint8Array {
  return tfliteToOnnx(parseTflite(tflite, what), 'blazeface');
}

/** True when `bytes` start like a TFLite flatbuffer (identifier `TFL3` at byte 4). */
export function isTflite(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new TextDecoder().decode(bytes.subarray(4, 8)) === 'TFL3';
}

/**
 * Converts the bundled `.tflite` of `range` (or the one at `tflitePath`) into the model store as
 * `blazeface-short` or `blazeface-full`.
 */
export async function installBlazeFace(
  store = new ModelStore(),
  range: BlazeFaceRange = 'short',
  tflitePath?: string,
): Promise<ModelEntry> {
  const variant = BLAZEFACE_VARIANTS[range];
  const source = tflitePath ? resolve(tflitePath) : bundledBlazeFacePath(range);
  const from = tflitePath ? source : `${PACKAGE}/${variant.tflite}`;
  return store.installBytes(
    variant.modelName,
    variant.storeFile,
    await convertBlazeFace(source),
    `converted from ${from}`,
  );
}

/**
 * The ONNX bytes to run: `model` when given (a converted `.onnx`, or a `.tflite` converted in
 * memory), else the store's model for `range`, converted from the npm package on first use (and
 * kept in the store when it is writable).
 */
export async function loadBlazeFaceModel(
  model: string | Uint8Array | undefined,
  store: ModelStore,
  range: BlazeFaceRange,
): Promise<Uint8Array> {
  if (model instanceof Uint8Array) return isTflite(model) ? toOnnx(model, '<model bytes>') : model;
  if (model !== undefined) {
    const path = resolve(model);
    if (!existsSync(path)) {
      throw new InvalidInputError(
        `BlazeFace model not found: ${path} (option model; omit it to use the bundled one)`,
      );
    }
    const bytes = await readFile(path);
    return isTflite(bytes) ? toOnnx(bytes, path) : bytes;
  }
  const variant = BLAZEFACE_VARIANTS[range];
  try {
    return await readFile(await store.resolve(variant.modelName));
  } catch (error) {
    if (!(error instanceof ModelNotFoundError)) throw error;
  }
  const bytes = await convertBlazeFace(bundledBlazeFacePath(range));
  try {
    await store.installBytes(
      variant.modelName,
      variant.storeFile,
      bytes,
      `converted from ${PACKAGE}/${variant.tflite}`,
    );
  } catch {
    // A read-only store, or another process installing it at this moment: the conversion is
    // deterministic and takes tens of milliseconds, so run from memory and try again next time.
  }
  return bytes;
}
