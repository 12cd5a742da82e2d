import {
  assertFrame,
  type Box,
  type BoxCalibration,
  calibrateBox,
  clipBox,
  type DetectedFace,
  type FaceDetectorLike,
  type Frame,
  InvalidInputError,
  ModelFormatError,
  prepareOnnxRuntime,
} from '@face-liveness/core';
import * as ort from 'onnxruntime-node';
import { assertFiniteOutputs } from '../finite-outputs.js';
import { checkRange } from '../options.js';
import { type Anchor, ssdAnchors } from './anchors.js';
import { decodeDetections, weightedNms } from './decode.js';
import { loadBlazeFaceModel } from './model.js';
import { letterbox } from './preprocess.js';
import { BLAZEFACE_VARIANTS, type BlazeFaceRange, type BlazeFaceVariant } from './variants.js';

/** Options of {@link BlazeFaceDetector.create}. */
export interface BlazeFaceOptions {
  /**
   * The BlazeFace model of `range`, as a path or bytes: a converted `.onnx`, or a `.tflite` (then
   * converted in memory, which needs the converter's peer dependencies). Default: the ONNX
   * conversion of `@mediapipe/face_detection`'s model shipped in this package's `models/`.
   */
  model?: string | Uint8Array;
  /**
   * `'short'` (default): faces within about 2 m, the webcam case, fastest. `'full'`: faces within
   * about 5 m, e.g. group photos; 192x192 input, about six times slower.
   */
  range?: BlazeFaceRange;
  /**
   * Minimum face score in [0, 1]: detections scoring at or above it are kept, before the weighted
   * NMS (it replaces MediaPipe's `min_score_thresh`). Default: MediaPipe's own, 0.5 for short range
   * and 0.6 for full range.
   */
  confidence?: number;
  /** IoU above which detections merge in weighted NMS. Default 0.3, as MediaPipe. */
  nmsThreshold?: number;
  /** Faces whose box is narrower or shorter than this many pixels are dropped. Default 0. */
  minFaceSize?: number;
  /** ONNX Runtime intra-op threads. Default 1 (the model is small: more threads only add overhead). */
  threads?: number;
  /**
   * `'res10'` (default): boxes mapped by the range's calibration ({@link RES10_FROM_BLAZEFACE_SHORT} for
   * short range) to look like res10's, so downstream crops match what the liveness models saw;
   * `'blazeface'`: the model's own boxes.
   */
  boxes?: 'res10' | 'blazeface';
}

/**
 * MediaPipe's BlazeFace run in ONNX Runtime: short range (faces within about 2 m of the camera,
 * 128x128 input, 896 anchors) or full range (about 5 m, 192x192, 2304 anchors). Letterbox, SSD
 * anchors, sigmoid scores, weighted NMS and six keypoints (right eye, left eye, nose tip, mouth,
 * right ear, left ear, as seen by the subject), all as MediaPipe's graphs define them.
 */
export class BlazeFaceDetector implements FaceDetectorLike {
  private session: ort.InferenceSession | undefined;

  private constructor(
    session: ort.InferenceSession,
    private readonly variant: BlazeFaceVariant,
    private readonly anchors: Anchor[],
    private readonly confidence: number,
    private readonly nmsThreshold: number,
    private readonly minFaceSize: number,
    private readonly calibration: BoxCalibration | undefined,
    /** The model's file, or which shipped model, for errors. */
    private readonly model: string,
  ) {
    this.session = session;
  }

  static async create(options: BlazeFaceOptions = {}): Promise<BlazeFaceDetector> {
    const { range = 'short', nmsThreshold = 0.3, minFaceSize = 0, threads = 1, boxes = 'res10' } = options;
    const variant = BLAZEFACE_VARIANTS[range];
    if (!variant) throw new InvalidInputError(`range must be 'short' or 'full', got '${range}'`);
    const confidence = options.confidence ?? variant.decode.minScoreThresh;
    checkRange('confidence', confidence, 0, 1);
    if (!(nmsThreshold > 0 && nmsThreshold <= 1)) {
      throw new InvalidInputError(`nmsThreshold must be in (0, 1], got ${nmsThreshold}`);
    }
    if (!(minFaceSize >= 0))
      throw new InvalidInputError(`minFaceSize must be >= 0 pixels, got ${minFaceSize}`);
    if (!(Number.isInteger(threads) && threads > 0)) {
      throw new InvalidInputError(`threads must be a positive integer, got ${threads}`);
    }
    if (boxes !== 'res10' && boxes !== 'blazeface') {
      throw new InvalidInputError(`boxes must be 'res10' or 'blazeface', got '${boxes}'`);
    }
    const bytes = await loadBlazeFaceModel(options.model, range);
    const what = typeof options.model === 'string' ? options.model : `the ${range}-range BlazeFace model`;
    const anchors = ssdAnchors(variant.anchors);
    return new BlazeFaceDetector(
      await openSession(bytes, threads, what, variant.anchors.inputWidth, anchors.length, range),
      variant,
      anchors,
      confidence,
      nmsThreshold,
      minFaceSize,
      boxes === 'res10' ? variant.calibration : undefined,
      what,
    );
  }

  /** Faces in `frame`, best score first; boxes and keypoints in frame pixels. */
  async detect(frame: Frame): Promise<DetectedFace[]> {
    const session = this.session;
    if (!session) throw new InvalidInputError('detect() called after close()');
    assertFrame(frame);
    const size = this.variant.anchors.inputWidth;
    const input = letterbox(frame, size);
    const tensor = new ort.Tensor('float32', input.tensor, [1, size, size, 3]);
    const [regressors, scores] = await runModel(session, tensor);
    assertFiniteOutputs(this.model, regressors, scores);
    const raw = decodeDetections(regressors, scores, this.anchors, {
      ...this.variant.decode,
      minScoreThresh: this.confidence,
    });
    const toFrame = (x: number, y: number): [number, number] => [
      x * input.side + input.left,
      y * input.side + input.top,
    ];
    const faces: DetectedFace[] = [];
    for (const d of weightedNms(raw, this.nmsThreshold)) {
      const [x1, y1] = toFrame(d.box[0], d.box[1]);
      const [x2, y2] = toFrame(d.box[2], d.box[3]);
      const own: Box = [x1, y1, x2, y2];
      const box = clipBox(
        this.calibration ? calibrateBox(own, this.calibration) : own,
        frame.width,
        frame.height,
      );
      if (box[2] - box[0] < this.minFaceSize || box[3] - box[1] < this.minFaceSize) continue;
      if (!(box[2] > box[0] && box[3] > box[1])) continue;
      faces.push({ box, score: d.score, keypoints: d.keypoints.map(([x, y]) => toFrame(x, y)) });
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

/** Regressors and scores; the two models name their outputs differently, so go by size. */
async function runModel(
  session: ort.InferenceSession,
  input: ort.Tensor,
): Promise<[Float32Array, Float32Array]> {
  const outputs = await session.run({ [session.inputNames[0]]: input });
  const [a, b] = session.outputNames.map((name) => outputs[name].data as Float32Array);
  return a.length > b.length ? [a, b] : [b, a];
}

async function openSession(
  bytes: Uint8Array,
  threads: number,
  what: string,
  size: number,
  anchors: number,
  range: BlazeFaceRange,
): Promise<ort.InferenceSession> {
  let session: ort.InferenceSession;
  prepareOnnxRuntime();
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  } catch (error) {
    throw new ModelFormatError(
      `cannot load ${what}: ${(error as Error).message.split('\n')[0]} (expected a BlazeFace .tflite of @mediapipe/face_detection or its ONNX conversion)`,
      { cause: error },
    );
  }
  if (session.inputNames.length !== 1 || session.outputNames.length !== 2) {
    const io = `${session.inputNames.join(',')} -> ${session.outputNames.join(',')}`;
    await session.release();
    throw new ModelFormatError(
      `${what} is an ONNX model but not BlazeFace (${io}; expected one image input -> regressors, scores)`,
    );
  }
  // One blank frame checks that the model fits the range's input size and anchors.
  try {
    const [regressors, scores] = await runModel(
      session,
      new ort.Tensor('float32', new Float32Array(size * size * 3), [1, size, size, 3]),
    );
    if (scores.length !== anchors || regressors.length !== anchors * 16)
      throw new Error(`${scores.length} anchors`);
  } catch (error) {
    await session.release();
    throw new ModelFormatError(
      `${what} does not fit range '${range}' (${size}x${size} input, ${anchors} anchors): ${(error as Error).message.split('\n')[0]}; ` +
        `pass range: '${range === 'short' ? 'full' : 'short'}' or the other model`,
    );
  }
  return session;
}
