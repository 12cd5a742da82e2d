import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '@face-liveness/core';
import { BLAZEFACE_VARIANTS, type BlazeFaceRange } from './variants.js';

/** Path of the range's ONNX model shipped in this package's `models/` folder. */
export function shippedBlazeFacePath(range: BlazeFaceRange = 'short'): string {
  // src/blazeface/ and dist/blazeface/ are both two levels below the package root.
  return fileURLToPath(new URL(`../../models/${BLAZEFACE_VARIANTS[range].onnxFile}`, import.meta.url));
}

/** True when `bytes` start like a TFLite flatbuffer (identifier `TFL3` at byte 4). */
export function isTflite(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new TextDecoder().decode(bytes.subarray(4, 8)) === 'TFL3';
}

/**
 * The ONNX bytes to run: `model` when given (an `.onnx`, or a `.tflite`, which loads the converter
 * for it), else the model of `range` shipped with this package.
 */
export async function loadBlazeFaceModel(
  model: string | Uint8Array | undefined,
  range: BlazeFaceRange,
): Promise<Uint8Array> {
  if (model === undefined) return readFile(shippedBlazeFacePath(range));
  const what = typeof model === 'string' ? resolve(model) : '<model bytes>';
  const bytes = typeof model === 'string' ? await readModelFile(what) : model;
  if (!isTflite(bytes)) return bytes;
  // Only an explicit .tflite needs the converter; the default path never loads it.
  const { blazeFaceToOnnx } = await import('../convert/blazeface.js');
  return blazeFaceToOnnx(bytes, what);
}

async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new InvalidInputError(
      `BlazeFace model not found: ${path} (option model; omit it to use the shipped one)`,
    );
  }
}
