import { readFile } from 'node:fs/promises';
import type { Box, DetectedFace, FaceDetectorLike, Frame } from '@face-liveness/core';
import {
  assertFrame,
  clipBox,
  InvalidInputError,
  ModelFormatError,
  ModelStore,
  prepareOnnxRuntime,
} from '@face-liveness/core';
import * as ort from 'onnxruntime-node';
import { assertFiniteOutputs } from './finite-outputs.js';
import { checkRange } from './options.js';
import { type DecodeOptions, decodeDetections } from './res10/decode.js';
import { letterboxInput, RES10_RESIZES, type Res10Resize } from './res10/letterbox.js';
import { stretchInput } from './res10/preprocess.js';
import { makePriors } from './res10/priors.js';
import { RES10_DETECTION, RES10_PRIORS, RES10_SIZE } from './res10/spec.js';

/** The model store keys of the converted res10 detector, float32 and int8. */
export const RES10_MODEL_NAME = 'res10-ssd';
export const RES10_INT8_MODEL_NAME = 'res10-ssd-int8';

/** What to run when no model is given and none is installed. */
export const RES10_INSTALL_HINT =
  'run `face-liveness models install res10 --pb opencv_face_detector_uint8.pb --pbtxt opencv_face_detector.pbtxt` ' +
  '(or `--prototxt deploy.prototxt --caffemodel res10_300x300_ssd_iter_140000.caffemodel`, or `--from-url` when online), ' +
  'or pass the converted .onnx file as `model`';

export interface FaceDetectorOptions {
  /**
   * The converted res10 ONNX model: a file path, its bytes, or omitted to use the one installed
   * in the model store (`$FACE_LIVENESS_HOME`, default `~/.cache/face-liveness`).
   */
  model?: string | Uint8Array;
  /**
   * Minimum face score in [0, 1]: faces scoring at or above it are kept. Default 0.5, the original
   * demo's `--confidence`. Applied before NMS with the model's own DetectionOutput threshold (0.01),
   * which keeps the same faces as OpenCV filtering its output afterwards.
   */
  confidence?: number;
  /** IoU above which a lower-scored box is suppressed. Default 0.45 (the model's own). */
  nmsThreshold?: number;
  /** Faces whose clipped box is narrower or shorter than this many pixels are dropped. Default 0. */
  minFaceSize?: number;
  /**
   * Detections whose box lies less than this fraction (of its area) inside the frame are dropped.
   * Default 0.5. Beside a large face res10 reports confident "ghost" boxes reaching far past the
   * frame's lower right (a portrait's neck, the corner of a face crop: 20-49% inside on the shared
   * photos, while every annotated face was at least 60% inside); 0 keeps them, as OpenCV does.
   */
  minVisible?: number;
  /**
   * Which installed model to use when `model` is not given: `float32` (`res10-ssd`, default) or
   * `int8` (`res10-ssd-int8`, about twice as fast; see the README for the trade-off).
   */
  precision?: 'float32' | 'int8';
  /** ONNX Runtime intra-op threads. Default 1 (one frame per core scales better in pipelines). */
  threads?: number;
  /**
   * How frames become the 300x300 input. `'letterbox'` (default): a frame that is not 4:3 is
   * centred on a 4:3 canvas of the model's mean colour first, so a portrait video's face is not
   * squeezed (stretched, a 368x656 clip gave a second "face" on the neck in every frame).
   * `'stretch'`: resized straight to 300x300, as OpenCV's `blobFromImage` and the original
   * project do; its boxes equal OpenCV's. 4:3 frames (640x480 webcams) are the same either way.
   */
  resize?: Res10Resize;
  /** Model store to resolve the default model from. Default: `new ModelStore()`. */
  store?: ModelStore;
}

const PRIORS = makePriors(RES10_PRIORS, RES10_SIZE);

/** OpenCV's res10 300x300 SSD face detector, run by ONNX Runtime. */
export class FaceDetector implements FaceDetectorLike {
  private session: ort.InferenceSession | undefined;
  // One input buffer and tensor for the detector's lifetime; a detect() that starts while another
  // is still in inference gets its own, since the runtime reads the buffer during the run.
  private readonly input = newInput();
  private inputBusy = false;
  private readonly decodeOptions: DecodeOptions;

  private constructor(
    session: ort.InferenceSession,
    confidence: number,
    nmsThreshold: number,
    private readonly minFaceSize: number,
    private readonly minVisible: number,
    private readonly resize: Res10Resize,
    /** The model's file (or a description of the bytes), for errors. */
    private readonly model: string,
  ) {
    this.session = session;
    this.decodeOptions = { ...RES10_DETECTION, minScore: confidence, nmsThreshold };
  }

  /** Loads the model. Throws `ModelNotFoundError`, `ModelFormatError` or `InvalidInputError` (from `@face-liveness/core`). */
  static async create(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
    const confidence = options.confidence ?? 0.5;
    const nmsThreshold = options.nmsThreshold ?? RES10_DETECTION.nmsThreshold;
    const minFaceSize = options.minFaceSize ?? 0;
    const minVisible = options.minVisible ?? 0.5;
    const threads = options.threads ?? 1;
    const resize = options.resize ?? 'letterbox';
    if (!RES10_RESIZES.includes(resize)) {
      throw new InvalidInputError(`resize must be 'letterbox' or 'stretch', got '${resize}'`);
    }
    if (options.precision !== undefined && options.precision !== 'float32' && options.precision !== 'int8') {
      throw new InvalidInputError(`precision must be 'float32' or 'int8', got ${options.precision}`);
    }
    checkRange('confidence', confidence, 0, 1);
    checkRange('nmsThreshold', nmsThreshold, 0, 1);
    checkRange('minFaceSize', minFaceSize, 0, Number.MAX_SAFE_INTEGER);
    checkRange('minVisible', minVisible, 0, 1);
    if (!Number.isInteger(threads) || threads < 1) {
      throw new InvalidInputError(`threads must be a positive integer, got ${threads}`);
    }
    let bytes: Uint8Array;
    let what: string;
    if (options.model instanceof Uint8Array) {
      bytes = options.model;
      what = `<${bytes.length}-byte model buffer>`;
    } else {
      const store = options.store ?? new ModelStore();
      const int8 = options.precision === 'int8';
      const hint = int8
        ? `${RES10_INSTALL_HINT.replace('res10 ', 'res10 --int8 --calibration IMAGE_DIR ')}`
        : RES10_INSTALL_HINT;
      what = await store.resolve(int8 ? RES10_INT8_MODEL_NAME : RES10_MODEL_NAME, options.model, hint);
      bytes = await readFile(what);
    }
    const session = await openSession(bytes, what, threads);
    return new FaceDetector(session, confidence, nmsThreshold, minFaceSize, minVisible, resize, what);
  }

  /**
   * Faces in `frame` (any size, RGB), boxes in its pixels clipped to it, highest score first.
   * With `resize: 'letterbox'` the frame is padded to 4:3 first and the boxes mapped back.
   */
  async detect(frame: Frame): Promise<DetectedFace[]> {
    const session = this.session;
    if (!session) throw new InvalidInputError('detect() called after close()');
    assertFrame(frame);
    const shared = !this.inputBusy;
    const input = shared ? this.input : newInput();
    const place =
      this.resize === 'letterbox'
        ? letterboxInput(frame, input.data as Float32Array)
        : stretchInput(frame, input.data as Float32Array);
    let outputs: ort.InferenceSession.OnnxValueMapType;
    if (shared) this.inputBusy = true;
    try {
      outputs = await session.run({ data: input });
    } finally {
      if (shared) this.inputBusy = false;
    }
    const loc = outputs.loc.data as Float32Array;
    const conf = outputs.conf.data as Float32Array;
    assertFiniteOutputs(this.model, loc, conf);
    const raw = decodeDetections(loc, conf, PRIORS.boxes, PRIORS.variances, this.decodeOptions);
    for (const t of Object.values(outputs)) t.dispose();
    const { width, height } = frame;
    // Normalised coordinates are of the 300x300 input; boxes wholly in its border clip to nothing.
    const toFrameX = (x: number) => (x * RES10_SIZE - place.offsetX) / place.scaleX;
    const toFrameY = (y: number) => (y * RES10_SIZE - place.offsetY) / place.scaleY;
    const faces: DetectedFace[] = [];
    for (const d of raw) {
      const whole: Box = [toFrameX(d.box[0]), toFrameY(d.box[1]), toFrameX(d.box[2]), toFrameY(d.box[3])];
      const box = clipBox(whole, width, height);
      const w = box[2] - box[0];
      const h = box[3] - box[1];
      if (w <= 0 || h <= 0 || w < this.minFaceSize || h < this.minFaceSize) continue;
      if (w * h < this.minVisible * (whole[2] - whole[0]) * (whole[3] - whole[1])) continue;
      faces.push({ box, score: d.score });
    }
    return faces;
  }

  /** Releases the ONNX Runtime session. Safe to call twice. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.release();
  }
}

function newInput(): ort.Tensor {
  const shape = [1, 3, RES10_SIZE, RES10_SIZE];
  return new ort.Tensor('float32', new Float32Array(3 * RES10_SIZE * RES10_SIZE), shape);
}

async function openSession(bytes: Uint8Array, what: string, threads: number): Promise<ort.InferenceSession> {
  let session: ort.InferenceSession;
  prepareOnnxRuntime();
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    throw new ModelFormatError(
      `cannot load face detector model ${what}: ${(error as Error).message.split('\n')[0]} ` +
        '(expected the .onnx file made by `face-liveness models convert`)',
      { cause: error },
    );
  }
  const inputs = session.inputNames.join(',');
  const outputs = [...session.outputNames].sort().join(',');
  if (inputs !== 'data' || outputs !== 'conf,loc') {
    await session.release();
    throw new ModelFormatError(
      `${what} is an ONNX model but not the res10 detector (inputs [${inputs}], outputs [${outputs}]; expected data -> loc, conf); convert it with \`face-liveness models convert\``,
    );
  }
  return session;
}
