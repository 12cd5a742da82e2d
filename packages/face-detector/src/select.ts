import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Frame } from '@face-liveness/core';
import { InvalidInputError, ModelFormatError, ModelNotFoundError, ModelStore } from '@face-liveness/core';
import { BlazeFaceDetector, type BlazeFaceOptions } from './blazeface/detector.js';
import { isTflite } from './blazeface/model.js';
import { BLAZEFACE_VARIANTS } from './blazeface/variants.js';
import { FaceDetector, type FaceDetectorOptions, RES10_MODEL_NAME } from './face-detector.js';
import type { DetectedFace, FaceDetectorLike } from './types.js';

/** Which detector {@link createFaceDetector} should build. */
export type DetectorChoice = 'auto' | 'res10' | 'blazeface';

/**
 * Options of {@link createFaceDetector}: those both detectors share (each keeps its own defaults,
 * e.g. `nmsThreshold` 0.45 for res10 and 0.3 for BlazeFace) plus BlazeFace's `boxes` and `range`
 * (default `'short'`, the webcam case; `'full'` for faces up to about 5 m away). `model` is
 * a file (path or bytes) for the chosen detector; with `'auto'` its format decides.
 */
export interface CreateFaceDetectorOptions
  extends Pick<
      FaceDetectorOptions,
      'model' | 'store' | 'confidence' | 'nmsThreshold' | 'minFaceSize' | 'threads'
    >,
    Pick<BlazeFaceOptions, 'boxes' | 'range'> {
  /**
   * `'auto'` (default): res10 when it is installed in the store (or `model` is a res10 ONNX file),
   * else BlazeFace short-range, which needs no download. `'res10'` / `'blazeface'` force one.
   */
  detector?: DetectorChoice;
}

/** A face detector that says which model it is. */
export interface SelectedFaceDetector extends FaceDetectorLike {
  /** The detector in use. */
  readonly name: 'res10' | 'blazeface';
  /** Its model store key (`res10-ssd`, `blazeface-short` or `blazeface-full`). */
  readonly modelName: string;
  /** Why it was chosen, one sentence, for logs or `--verbose` output. */
  readonly reason: string;
  /** The underlying detector. */
  readonly detector: FaceDetector | BlazeFaceDetector;
}

/**
 * Builds the face detector the options ask for, or with `detector: 'auto'` the best one available
 * offline: OpenCV's res10 when installed (`face-liveness models install res10`), else BlazeFace
 * short-range from the `@mediapipe/face_detection` npm package (converted into the store on first
 * use). Prints nothing: the result's `name` and `reason` say what was picked.
 *
 * ```ts
 * const detector = await createFaceDetector();
 * console.log(detector.name, detector.reason);
 * const faces = await detector.detect(frame);
 * await detector.close();
 * ```
 */
export async function createFaceDetector(
  options: CreateFaceDetectorOptions = {},
): Promise<SelectedFaceDetector> {
  const { detector: choice = 'auto', model, boxes, range = 'short', ...common } = options;
  const store = options.store ?? new ModelStore();
  const blazeface = async (reason: string): Promise<SelectedFaceDetector> => {
    const detector = await BlazeFaceDetector.create({ ...common, store, model, boxes, range });
    const modelName = BLAZEFACE_VARIANTS[range].modelName;
    return { name: 'blazeface', modelName, reason, detector, ...delegate(detector) };
  };
  const res10 = async (reason: string, path = model): Promise<SelectedFaceDetector> => {
    const detector = await FaceDetector.create({ ...common, store, model: path });
    return { name: 'res10', modelName: RES10_MODEL_NAME, reason, detector, ...delegate(detector) };
  };
  switch (choice) {
    case 'res10':
      return res10('asked for res10');
    case 'blazeface':
      return blazeface(`asked for BlazeFace ${range}-range`);
    case 'auto':
      break;
    default:
      throw new InvalidInputError(`detector must be 'auto', 'res10' or 'blazeface', got '${choice}'`);
  }
  if (model !== undefined) {
    if (isTflite(typeof model === 'string' ? await readHead(model) : model)) {
      return blazeface('the model file is TFLite');
    }
    try {
      return await res10('the model file is the res10 ONNX');
    } catch (error) {
      if (!(error instanceof ModelFormatError)) throw error;
    }
    return blazeface('the model file is a BlazeFace ONNX');
  }
  let installed: string | undefined;
  try {
    installed = await store.resolve(RES10_MODEL_NAME);
  } catch (error) {
    if (!(error instanceof ModelNotFoundError)) throw error;
  }
  if (installed) return res10(`res10 is installed (${installed})`, installed);
  const reach = range === 'short' ? 'faces within ~2 m' : 'faces within ~5 m';
  return blazeface(
    `res10 is not installed in ${store.dir}; BlazeFace ${range}-range (${reach}) comes with npm`,
  );
}

function delegate(detector: FaceDetectorLike): FaceDetectorLike {
  return {
    detect: (frame: Frame): Promise<DetectedFace[]> => detector.detect(frame),
    close: () => detector.close(),
  };
}

async function readHead(path: string): Promise<Uint8Array> {
  let file: FileHandle | undefined;
  try {
    file = await open(path);
    const { buffer, bytesRead } = await file.read(new Uint8Array(8), 0, 8, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    throw new InvalidInputError(`face detector model not found: ${resolve(path)} (option model)`);
  } finally {
    await file?.close();
  }
}
