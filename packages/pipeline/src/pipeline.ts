import {
  assertFrame,
  type Box,
  centroid,
  clipBox,
  containedFraction,
  type Frame,
  InvalidInputError,
  type ReadVideoOptions,
} from '@face-liveness/core';
import { eyeAspectRatios } from '@face-liveness/landmarks';
import { cropFace } from '@face-liveness/livenessnet';
import {
  decide,
  EvidenceAccumulator,
  type FusionOptions,
  type ResolvedFusion,
  resolveFusion,
} from './fusion.js';
import { type MediaInput, openMedia } from './sources.js';
import { FaceTracker, type TrackerOptions } from './tracker.js';
import type {
  BlinkDetectorLike,
  ClassifierLike,
  DetectedFace,
  FaceDetectorLike,
  FaceResult,
  FrameResult,
  IgnoredFace,
  LandmarkerLike,
  Point,
  StageTimings,
  TimedFrame,
  TrackSummary,
} from './types.js';

/** The parts a pipeline runs; each may be the project's default or the user's own object. */
export interface PipelineComponents {
  detector: FaceDetectorLike;
  /** `null` turns landmarks (and so blinks) off. */
  landmarker: LandmarkerLike | null;
  /** Makes one blink counter per track; unused without a landmarker. */
  blinkDetector?: () => BlinkDetectorLike;
  /** One classifier, or several whose scores are averaged (the original's ensemble). */
  classifiers: ClassifierLike[];
}

/** Behaviour options of the pipeline (the components are chosen by `createLivenessPipeline`). */
export interface PipelineBehaviour extends FusionOptions, TrackerOptions {
  /** Faces narrower or shorter than this many pixels are not classified (the original's `--face_thresh`). Default 60. */
  minFaceSize?: number;
  /** Minimum detector confidence (the original's `--confidence`). Default 0.5. */
  confidence?: number;
  /**
   * Run the detector on every n-th frame and carry the faces in between with their landmarks
   * (faster; a face entering the picture waits up to n-1 frames). Default 1 (every frame).
   */
  detectEvery?: number;
  /**
   * Classify each face on every n-th frame of its track (the verdict rests on the mean score, which
   * needs no more than a few samples a second). Default 1 (every frame).
   */
  classifyEvery?: number;
  /**
   * Margin added around the detector box before classifying, as a fraction of its size per side.
   * Default: each classifier's own `cropMargin` (the framing it was trained on), else 0 (the original's crop).
   */
  cropMargin?: number;
  /** Frame rate assumed for frames given without a timestamp. Default 30. */
  fps?: number;
}

/**
 * Checks the behaviour options (throwing an {@link InvalidInputError} that names the bad one) and
 * fills in the defaults; `classifierThreshold` is the default decision threshold.
 */
export function checkBehaviour(options: PipelineBehaviour, classifierThreshold = 0.5) {
  const settings = {
    fusion: resolveFusion(options, classifierThreshold),
    minFaceSize: options.minFaceSize ?? 60,
    confidence: options.confidence ?? 0.5,
    detectEvery: positiveInteger(options.detectEvery ?? 1, 'detectEvery'),
    classifyEvery: positiveInteger(options.classifyEvery ?? 1, 'classifyEvery'),
    cropMargin: options.cropMargin,
    fps: options.fps ?? 30,
  };
  if (!(settings.minFaceSize >= 0)) {
    throw new InvalidInputError(`minFaceSize must be >= 0, got ${options.minFaceSize}`);
  }
  if (!(settings.confidence >= 0 && settings.confidence <= 1)) {
    throw new InvalidInputError(`confidence must be in [0, 1], got ${options.confidence}`);
  }
  if (settings.cropMargin !== undefined && !(settings.cropMargin >= 0))
    throw new InvalidInputError(`cropMargin must be >= 0, got ${options.cropMargin}`);
  if (!(settings.fps > 0)) throw new InvalidInputError(`fps must be positive, got ${options.fps}`);
  return settings;
}

/** A face of the current frame: detected in it (with the detector's keypoints, if any), or carried over. */
interface CurrentFace extends Pick<DetectedFace, 'box' | 'keypoints'> {
  id: number;
  detected: boolean;
}

/** One frame's usable faces, the skipped ones, and the time the detection took. */
interface Detections {
  faces: DetectedFace[];
  ignored: IgnoredFace[];
  ms: number;
}

interface TrackState {
  evidence: EvidenceAccumulator;
  blinks?: BlinkDetectorLike;
  centroid?: Point;
  detectionScore: number;
  /** Sum of the face's box sizes (square root of the area) over its frames. */
  sizeSum: number;
  summary: TrackSummary;
}

function positiveInteger(value: number, name: string): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new InvalidInputError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

// Mean EAR of both eyes, for the overlay and the report (when no blink counter reports it).
function meanEar(points: Point[]): number | undefined {
  if (points.length < 48) return undefined;
  const [right, left] = eyeAspectRatios(points);
  return (right + left) / 2;
}

/**
 * Frames in, per-frame results out: detection, tracking, landmarks and blinks, classification
 * and the fusion of their evidence into a verdict per face. Create it with `createLivenessPipeline`.
 */
export class LivenessPipeline {
  readonly components: PipelineComponents;
  readonly fusion: ResolvedFusion;
  private readonly minFaceSize: number;
  private readonly confidence: number;
  private readonly detectEvery: number;
  private readonly classifyEvery: number;
  private readonly cropMargin: number | undefined;
  private readonly fps: number;
  private readonly trackerOptions: TrackerOptions;
  private tracker: FaceTracker;
  private states = new Map<number, TrackState>();
  private finished: TrackSummary[] = [];
  private frameIndex = 0;
  /** Tracks matched by the last detection: the faces carried until the next one. */
  private carried: number[] = [];
  private lastDetectionStarted = -1;
  private closed = false;

  constructor(components: PipelineComponents, options: PipelineBehaviour = {}) {
    if (components.classifiers.length === 0) {
      throw new InvalidInputError('the pipeline needs at least one classifier');
    }
    this.components = components;
    const thresholds = components.classifiers.map((c) => c.threshold ?? 0.5);
    const settings = checkBehaviour(options, thresholds.reduce((a, b) => a + b, 0) / thresholds.length);
    this.fusion = settings.fusion;
    this.minFaceSize = settings.minFaceSize;
    this.confidence = settings.confidence;
    this.detectEvery = settings.detectEvery;
    this.classifyEvery = settings.classifyEvery;
    this.cropMargin = settings.cropMargin;
    this.fps = settings.fps;
    this.trackerOptions = options;
    this.tracker = new FaceTracker(options);
  }

  /** Forgets every track: the next frame starts a new stream. */
  reset(): void {
    this.tracker = new FaceTracker(this.trackerOptions);
    this.states.clear();
    this.finished = [];
    this.frameIndex = 0;
    this.carried = [];
    this.lastDetectionStarted = -1;
  }

  /** Every track of the current stream (ended ones included), in order of appearance, with its latest state. */
  tracks(): TrackSummary[] {
    return [...this.finished, ...[...this.states.values()].map((s) => s.summary)].sort((a, b) => a.id - b.id);
  }

  private async classify(frame: Frame, box: Box): Promise<number> {
    // Each classifier sees the framing it was trained on; classifiers that share one share the crop.
    const crops = new Map<number, Frame>();
    const scores = await Promise.all(
      this.components.classifiers.map(async (c) => {
        const margin = this.cropMargin ?? c.cropMargin ?? 0;
        let crop = crops.get(margin);
        if (!crop) {
          crop = cropFace(frame, box, { margin });
          crops.set(margin, crop);
        }
        return (await c.classify(crop)).score;
      }),
    );
    return scores.reduce((a, b) => a + b, 0) / scores.length;
  }

  private async detect(frame: Frame): Promise<Detections> {
    const started = performance.now();
    const faces: DetectedFace[] = [];
    const ignored: IgnoredFace[] = [];
    const found = (await this.components.detector.detect(frame)).filter((f) => f.score >= this.confidence);
    found.sort((a, b) => b.score - a.score);
    for (const face of found) {
      const box = clipBox(face.box, frame.width, frame.height);
      const small = box[2] - box[0] < this.minFaceSize || box[3] - box[1] < this.minFaceSize;
      // res10 sometimes adds a box on part of a face (the chin, an eye) that NMS keeps.
      const part = faces.find((kept) => containedFraction(box, kept.box) > 0.7);
      if (part) ignored.push({ box, score: face.score, reason: 'mostly inside a better face box' });
      else if (small) {
        ignored.push({ box, score: face.score, reason: `smaller than minFaceSize ${this.minFaceSize}` });
      } else faces.push({ box, score: face.score, keypoints: face.keypoints });
    }
    return { faces, ignored, ms: performance.now() - started };
  }

  /**
   * Runs one frame of a stream through the pipeline: tracks, blinks and evidence carry over to
   * the next call. `timestampMs` defaults to the frame's index at the pipeline's `fps`.
   */
  async next(frame: Frame, timestampMs?: number): Promise<FrameResult> {
    if (this.closed) throw new InvalidInputError('the pipeline is closed');
    assertFrame(frame);
    const index = this.frameIndex++;
    return this.step(
      frame,
      index,
      timestampMs ?? (index * 1000) / this.fps,
      this.startDetection(frame, index),
    );
  }

  /**
   * Starts the detection of a frame when it is due: on every `detectEvery`-th frame, and whenever
   * no face is being carried. A detector that runs elsewhere (a worker thread) works on it while
   * the previous frame's landmarks and crops are processed here.
   */
  private startDetection(frame: Frame, index: number): Promise<Detections> | undefined {
    // With the previous frame's detection still in flight, what it finds decides (in step()).
    const waiting = this.carried.length > 0 || this.lastDetectionStarted === index - 1;
    if (index % this.detectEvery !== 0 && waiting) return undefined;
    this.lastDetectionStarted = index;
    const detection = this.detect(frame);
    detection.catch(() => {}); // awaited in step(); this only keeps a pending failure from counting as unhandled
    return detection;
  }

  private async step(
    frame: Frame,
    index: number,
    timestampMs: number,
    detection: Promise<Detections> | undefined,
  ): Promise<FrameResult> {
    const started = performance.now();
    // The frame before may have lost every face after this one's detection was decided.
    const pending = detection ?? (this.carried.length === 0 ? this.detect(frame) : undefined);
    let ignored: IgnoredFace[] = [];
    let current: CurrentFace[];
    const ended: TrackSummary[] = [];
    if (pending) {
      const found = await pending;
      this.timings.detectMs += found.ms;
      ignored = found.ignored;
      const { assigned, expired } = this.tracker.update(
        found.faces.map((f) => f.box),
        timestampMs,
      );
      current = assigned.map((track, i) => {
        const state = this.states.get(track.id);
        if (state) state.detectionScore = found.faces[i].score;
        else this.states.set(track.id, this.newState(track.id, timestampMs, found.faces[i].score));
        return { id: track.id, box: track.box, detected: true, keypoints: found.faces[i].keypoints };
      });
      this.carried = current.map((f) => f.id);
      for (const id of expired) {
        const state = this.states.get(id);
        if (!state) continue;
        this.states.delete(id);
        this.finished.push(state.summary);
        ended.push(state.summary);
      }
    } else {
      current = this.tracker.tracks
        .filter((t) => this.carried.includes(t.id))
        .map((t) => ({ id: t.id, box: t.box, detected: false }));
    }
    const faces: FaceResult[] = [];
    for (const face of current) {
      faces.push(await this.analyzeTrackedFace(frame, face, timestampMs));
    }
    return {
      index,
      timestampMs,
      width: frame.width,
      height: frame.height,
      faces,
      ignored,
      ended,
      elapsedMs: performance.now() - started,
      timings: this.takeTimings(),
    };
  }

  private timings: StageTimings = { detectMs: 0, landmarksMs: 0, classifyMs: 0 };

  private async timed<T>(stage: keyof StageTimings, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings[stage] += performance.now() - started;
    }
  }

  private takeTimings(): StageTimings {
    const taken = this.timings;
    this.timings = { detectMs: 0, landmarksMs: 0, classifyMs: 0 };
    return taken;
  }

  private newState(id: number, timestampMs: number, detectionScore: number): TrackState {
    const evidence = new EvidenceAccumulator(timestampMs, this.fusion.emaAlpha);
    const blinks = this.components.landmarker ? this.components.blinkDetector?.() : undefined;
    return {
      evidence,
      blinks,
      detectionScore,
      sizeSum: 0,
      summary: {
        id,
        firstSeenMs: timestampMs,
        lastSeenMs: timestampMs,
        meanFaceSize: 0,
        ...evidence.snapshot(),
        ...decide(evidence.snapshot(), this.fusion),
      },
    };
  }

  private async analyzeTrackedFace(
    frame: Frame,
    face: CurrentFace,
    timestampMs: number,
  ): Promise<FaceResult> {
    const state = this.states.get(face.id) as TrackState;
    let box = face.box;
    let landmarks: Point[] | undefined;
    let ear: number | undefined;
    let blinks = state.evidence.blinks;
    let observable = false;
    if (this.components.landmarker) {
      const landmarker = this.components.landmarker;
      landmarks = await this.timed('landmarksMs', async () => landmarker.predict(frame, box, face.keypoints));
      const update = state.blinks?.update(landmarks, timestampMs);
      blinks = update?.blinks ?? blinks;
      observable = update?.observable ?? false;
      ear = update?.ear ?? meanEar(landmarks);
      const c = centroid(landmarks);
      if (!face.detected && state.centroid) {
        // Between detections the landmarks follow the face: move its box by their motion.
        const dx = c[0] - state.centroid[0];
        const dy = c[1] - state.centroid[1];
        box = clipBox([box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy], frame.width, frame.height);
        const track = this.tracker.tracks.find((t) => t.id === face.id);
        if (track) {
          track.box = box;
          track.lastSeenMs = timestampMs;
        }
      }
      state.centroid = c;
    }
    const gated = this.fusion.policy === 'original' && blinks <= this.fusion.originalBlinks;
    const usable = box[2] - box[0] >= 1 && box[3] - box[1] >= 1;
    const due = state.evidence.frames % this.classifyEvery === 0;
    const score =
      gated || !usable || !due ? undefined : await this.timed('classifyMs', () => this.classify(frame, box));
    state.evidence.add(timestampMs, score, blinks, observable);
    const evidence = state.evidence.snapshot();
    const decision = decide(evidence, this.fusion);
    state.sizeSum += Math.sqrt((box[2] - box[0]) * (box[3] - box[1]));
    const meanFaceSize = state.sizeSum / evidence.frames;
    state.summary = { ...state.summary, lastSeenMs: timestampMs, meanFaceSize, ...evidence, ...decision };
    return {
      trackId: face.id,
      box,
      detected: face.detected,
      detectionScore: state.detectionScore,
      score,
      landmarks,
      ear,
      ...decision,
      evidence,
    };
  }

  /**
   * Runs a stream of frames (raw frames, `{frame, timestampMs}` items, or `readVideo`'s frames) and
   * yields one result per frame. Starts a new stream: earlier tracks are forgotten.
   */
  async *process(
    frames: AsyncIterable<Frame | TimedFrame> | Iterable<Frame | TimedFrame>,
  ): AsyncGenerator<FrameResult> {
    this.reset();
    // One frame of lookahead: its detection starts before the current frame is finished.
    let pending:
      | { frame: Frame; index: number; timestampMs: number; detection?: Promise<Detections> }
      | undefined;
    for await (const item of frames) {
      if (this.closed) throw new InvalidInputError('the pipeline is closed');
      const { frame, timestampMs } =
        'frame' in item ? item : { frame: item as Frame, timestampMs: undefined };
      assertFrame(frame);
      const index = this.frameIndex++;
      const upcoming = {
        frame,
        index,
        timestampMs: timestampMs ?? (index * 1000) / this.fps,
        detection: this.startDetection(frame, index),
      };
      if (pending)
        yield await this.step(pending.frame, pending.index, pending.timestampMs, pending.detection);
      pending = upcoming;
    }
    if (pending) yield await this.step(pending.frame, pending.index, pending.timestampMs, pending.detection);
  }

  /**
   * One still image: every face is classified once and judged by the classifier alone (a single
   * frame has no blinks; stream policies need `process`). Does not touch the stream state.
   */
  async analyzeFrame(frame: Frame): Promise<FrameResult> {
    assertFrame(frame);
    const started = performance.now();
    const { faces, ignored, ms } = await this.detect(frame);
    this.timings.detectMs += ms;
    const single = { ...this.fusion, policy: 'passive' as const, minFrames: 1 };
    const results: FaceResult[] = [];
    for (const [i, face] of faces.entries()) {
      const evidence = new EvidenceAccumulator(0, single.emaAlpha);
      const landmarks = this.components.landmarker
        ? await this.components.landmarker.predict(frame, face.box, face.keypoints)
        : undefined;
      const score = await this.classify(frame, face.box);
      evidence.add(0, score, 0);
      const snapshot = evidence.snapshot();
      results.push({
        trackId: i + 1,
        box: face.box,
        detected: true,
        detectionScore: face.score,
        score,
        landmarks,
        ear: landmarks && meanEar(landmarks),
        ...decide(snapshot, single),
        evidence: snapshot,
      });
    }
    return {
      index: 0,
      timestampMs: 0,
      width: frame.width,
      height: frame.height,
      faces: results,
      ignored,
      ended: [],
      elapsedMs: performance.now() - started,
      timings: this.takeTimings(),
    };
  }

  /**
   * Opens an image, a video file or a camera and yields one result per frame: a video goes through
   * {@link LivenessPipeline.process}, an image through {@link LivenessPipeline.analyzeFrame}.
   */
  async *analyzeVideo(source: MediaInput, options: ReadVideoOptions = {}): AsyncGenerator<FrameResult> {
    const media = await openMedia(source, options);
    if (media.kind !== 'image') {
      yield* this.process(media);
      return;
    }
    for await (const { frame } of media) yield await this.analyzeFrame(frame);
  }

  /** Releases the components (models, sessions). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { detector, landmarker, classifiers } = this.components;
    await Promise.all([detector.close(), landmarker?.close?.(), ...classifiers.map((c) => c.close?.())]);
  }
}
