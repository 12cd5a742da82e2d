import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { type ModelEntry, ModelNotFoundError, ModelStore } from '@face-liveness/core';
import { BLAZEFACE_VARIANTS, type BlazeFaceRange } from '../blazeface/variants.js';
import { parseTflite } from '../tflite/model.js';
import { tfliteToOnnx } from '../tflite/to-onnx.js';

/** The npm package whose `.tflite` files the shipped BlazeFace models are converted from. */
export const MEDIAPIPE_PACKAGE = '@mediapipe/face_detection';

/** Path of the range's `.tflite` inside the installed `@mediapipe/face_detection`. */
export function blazeFaceTflitePath(range: BlazeFaceRange = 'short'): string {
  const file = `${MEDIAPIPE_PACKAGE}/${BLAZEFACE_VARIANTS[range].tflite}`;
  try {
    return createRequire(import.meta.url).resolve(file);
  } catch {
    throw new ModelNotFoundError(
      `${file} is not installed; run \`npm install ${MEDIAPIPE_PACKAGE}\` (an optional peer dependency of @face-liveness/face-detector, needed only to convert BlazeFace)`,
    );
  }
}

/** Converts BlazeFace `.tflite` bytes to ONNX bytes; `what` names them in errors. */
export function blazeFaceToOnnx(tflite: Uint8Array, what = 'TFLite model'): Uint8Array {
  return tfliteToOnnx(parseTflite(tflite, what), 'blazeface');
}

/** Reads a BlazeFace `.tflite` file and converts it to ONNX bytes. */
export async function convertBlazeFace(tflitePath: string): Promise<Uint8Array> {
  return blazeFaceToOnnx(await readFile(tflitePath), tflitePath);
}

/**
 * Converts the `.tflite` of `range` from `@mediapipe/face_detection` (or the one at `tflitePath`)
 * into the model store as `blazeface-short` or `blazeface-full`. The detector does not need this:
 * it runs the conversion shipped in this package unless given a `model`.
 */
export async function installBlazeFace(
  store = new ModelStore(),
  range: BlazeFaceRange = 'short',
  tflitePath?: string,
): Promise<ModelEntry> {
  const variant = BLAZEFACE_VARIANTS[range];
  const source = tflitePath ? resolve(tflitePath) : blazeFaceTflitePath(range);
  const from = tflitePath ? source : `${MEDIAPIPE_PACKAGE}/${variant.tflite}`;
  return store.installBytes(
    variant.modelName,
    variant.onnxFile,
    await convertBlazeFace(source),
    `converted from ${from}`,
  );
}
