import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { InvalidInputError, type ModelEntry, ModelNotFoundError, ModelStore } from '@face-liveness/core';
import { parseTflite } from '../tflite/model.js';
import { tfliteToOnnx } from '../tflite/to-onnx.js';

/** Store key of the converted short-range BlazeFace model. */
export const BLAZEFACE_MODEL_NAME = 'blazeface-short';
const PACKAGE_FILE = '@mediapipe/face_detection/face_detection_short_range.tflite';
const STORE_FILE = 'blazeface-short-range.onnx';

/** Path of `face_detection_short_range.tflite` inside the installed `@mediapipe/face_detection`. */
export function bundledBlazeFacePath(): string {
  try {
    return createRequire(import.meta.url).resolve(PACKAGE_FILE);
  } catch {
    throw new ModelNotFoundError(
      `${PACKAGE_FILE} is not installed; run \`npm install @mediapipe/face_detection\` (it is a dependency of @face-liveness/face-detector)`,
    );
  }
}

/** Reads a BlazeFace `.tflite` file and converts it to ONNX bytes. */
export async function convertBlazeFace(tflitePath: string): Promise<Uint8Array> {
  return toOnnx(await readFile(tflitePath), tflitePath);
}

function toOnnx(tflite: Uint8Array, what: string): Uint8Array {
  return tfliteToOnnx(parseTflite(tflite, what), 'blazeface_short_range');
}

/** True when `bytes` start like a TFLite flatbuffer (identifier `TFL3` at byte 4). */
export function isTflite(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new TextDecoder().decode(bytes.subarray(4, 8)) === 'TFL3';
}

/** Converts the bundled (or given) `.tflite` into the model store as `blazeface-short`. */
export async function installBlazeFace(store = new ModelStore(), tflitePath?: string): Promise<ModelEntry> {
  const source = tflitePath ? resolve(tflitePath) : bundledBlazeFacePath();
  const bytes = await convertBlazeFace(source);
  const from = tflitePath ? source : PACKAGE_FILE;
  return store.installBytes(BLAZEFACE_MODEL_NAME, STORE_FILE, bytes, `converted from ${from}`);
}

/**
 * The ONNX bytes to run: `model` when given (a converted `.onnx`, or a `.tflite` converted in
 * memory), else the store's `blazeface-short`, converted from the npm package on first use (and
 * kept in the store when it is writable).
 */
export async function loadBlazeFaceModel(
  model: string | Uint8Array | undefined,
  store: ModelStore,
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
  try {
    return await readFile(await store.resolve(BLAZEFACE_MODEL_NAME));
  } catch (error) {
    if (!(error instanceof ModelNotFoundError)) throw error;
  }
  const bytes = await convertBlazeFace(bundledBlazeFacePath());
  try {
    await store.installBytes(BLAZEFACE_MODEL_NAME, STORE_FILE, bytes, `converted from ${PACKAGE_FILE}`);
  } catch {
    // A read-only store, or another process installing it at this moment: the conversion is
    // deterministic and takes tens of milliseconds, so run from memory and try again next time.
  }
  return bytes;
}
