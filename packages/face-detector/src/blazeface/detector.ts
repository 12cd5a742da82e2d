import {
  assertFrame,
  type Box,
  clipBox,
  type Frame,
  InvalidInputError,
  ModelFormatError,
  ModelStore,
} from '@face-liveness/core';
import * as ort from 'onnxruntime-node';
import type { DetectedFace, FaceDetectorLike } from '../types.js';
import { type Anchor, SHORT_RANGE_ANCHORS, ssdAnchors } from './anchors.js';
import { type BoxCalibration, calibrateBox, RES10_CALIBRATION } from './calibration.js';
import { decodeDetections, SHORT_RANGE_DECODE, weightedNms } from './decode.js';
import { loadBlazeFaceModel } from './model.js';
import { letterbox } from './preprocess.js';

/** Options of {@link BlazeFaceDetector.create}. */
export interface BlazeFaceOptions {
  /**
   * A BlazeFace short-range model, as a path or bytes: a `.tflite` (converted in memory) or a
   * converted `.onnx`. Default: `blazeface-short` from the model store, converted from the
   * `@mediapipe/face_detection` npm package into the store on first use.
   */
  model?: string | Uint8Array;
  /** The model store to use and fill. Default: `new ModelStore()` ($FACE_LIVENESS_HOME). */
  store?: ModelStore;
  /** Minimum face score in (0, 1). Default 0.5, as MediaPipe's `min_score_thresh`. */
  confidence?: number;
  /** IoU above which detections merge in weighted NMS. Default 0.3, as MediaPipe. */
  nmsThreshold?: number;
  /** Faces whose box is narrower or shorter than this many pixels are dropped. Default 0. */
  minFaceSize?: number;
  /** ONNX Runtime intra-op threads. Default 1 (the model is small: more threads only add overhead). */
  threads?: number;
  /**
   * `'res10'` (default): boxes mapped by {@link RES10_CALIBRATION} to look like res10's, so
   * downstream crops match what the liveness models saw; `'blazeface'`: the model's own tight boxes.
   */
  boxes?: 'res10' | 'blazeface';
}

const INPUT_SIZE = SHORT_RANGE_ANCHORS.inputWidth;

/**
 * MediaPipe's short-range BlazeFace (faces within about 2 m of the camera) run in ONNX Runtime:
 * letterbox to 128x128, 896 SSD anchors, sigmoid scores, weighted NMS, six keypoints (right eye,
 * left eye, nose tip, mouth, right ear, left ear, as seen by the subject).
 */
export class BlazeFaceDetector implements FaceDetectorLike {
  private session: ort.InferenceSession | undefined;

  private constructor(
    session: ort.InferenceSession,
    private readonly anchors: Anchor[],
    private readonly confidence: number,
    private readonly nmsThreshold: number,
    private readonly minFaceSize: number,
    private readonly calibration: BoxCalibration | undefined,
  ) {
    this.session = session;
  }

  static async create(options: BlazeFaceOptions = {}): Promise<BlazeFaceDetector> {
    const { confidence = 0.5, nmsThreshold = 0.3, minFaceSize = 0, threads = 1, boxes = 'res10' } = options;
    if (!(confidence > 0 && confidence < 1)) {
      throw new InvalidInputError(`confidence must be in (0, 1), got ${confidence}`);
    }
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
    const bytes = await loadBlazeFaceModel(options.model, options.store ?? new ModelStore());
    return new BlazeFaceDetector(
      await openSession(
        bytes,
        threads,
        typeof options.model === 'string' ? options.model : 'the BlazeFace model',
      ),
      ssdAnchors(SHORT_RANGE_ANCHORS),
      confidence,
      nmsThreshold,
      minFaceSize,
      boxes === 'res10' ? RES10_CALIBRATION : undefined,
    );
  }

  /** Faces in `frame`, best score first; boxes and keypoints in frame pixels. */
  async detect(frame: Frame): Promise<DetectedFace[]> {
    const session = this.session;
    if (!session) throw new InvalidInputError('detect() called after close()');
    assertFrame(frame);
    const input = letterbox(frame, INPUT_SIZE);
    const tensor = new ort.Tensor('float32', input.tensor, [1, INPUT_SIZE, INPUT_SIZE, 3]);
    const outputs = await session.run({ input: tensor });
    const regressors = outputs.regressors.data as Float32Array;
    const scores = outputs.classificators.data as Float32Array;
    const raw = decodeDetections(regressors, scores, this.anchors, {
      ...SHORT_RANGE_DECODE,
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

async function openSession(bytes: Uint8Array, threads: number, what: string): Promise<ort.InferenceSession> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  } catch (error) {
    throw new ModelFormatError(
      `cannot load ${what}: ${(error as Error).message.split('\n')[0]} (expected face_detection_short_range.tflite or its ONNX conversion)`,
      { cause: error },
    );
  }
  const io = `${session.inputNames.join(',')} -> ${[...session.outputNames].sort().join(',')}`;
  if (io !== 'input -> classificators,regressors') {
    await session.release();
    throw new ModelFormatError(
      `${what} is an ONNX model but not BlazeFace short-range (${io}; expected input -> regressors, classificators)`,
    );
  }
  return session;
}
