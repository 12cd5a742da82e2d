import {
  assertFrame,
  centroid,
  clipBox,
  type Frame,
  InvalidInputError,
  type Point,
  type Rotation,
} from '@face-liveness/core';
import { type HeadPoseFit, mouthAspectRatio } from '@face-liveness/landmarks';
import type { FrameFaces, SessionHost } from './engine-types.js';
import { decide, EvidenceAccumulator, type Verdict } from './fusion.js';
import { inputVerdict } from './input-verdict.js';
import { meanEar } from './mean-ear.js';
import { OrientationFinder } from './orientation.js';
import { assessFaceQuality, type FaceQuality, frameQualityOf } from './quality/assess.js';
import { facePose } from './quality/face-pose.js';
import { gateCodes } from './quality/gate.js';
import {
  type ResolvedSessionOptions,
  resolveSessionOptions,
  type SessionOptions,
} from './session-options.js';
import { attempt, SkipCounter } from './skips.js';
import { type MediaInput, type MediaStream, openMedia } from './sources.js';
import { FaceTracker } from './tracker.js';
import type {
  BlinkDetectorLike,
  DetectedFace,
  FaceResult,
  FrameResult,
  IgnoredFace,
  SkippedFace,
  SkipSummary,
  StageTimings,
  TimedFrame,
  TrackSummary,
} from './types.js';

/** A face of the current frame: detected in it (with the detector's keypoints, if any), or carried over. */
interface CurrentFace extends Pick<DetectedFace, 'box' | 'keypoints'> {
  id: number;
  detected: boolean;
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

/** A frame read but not yet analysed: its detection may already be running (one frame of lookahead). */
interface Pending {
  frame: Frame;
  index: number;
  timestampMs: number;
  /** The detection started ahead, with the rotation it ran at. */
  detection?: { faces: Promise<FrameFaces>; rotation: Rotation };
}

/**
 * One stream (a video, a camera, one person's check) on a shared {@link LivenessEngine}: its own
 * tracker, blink counters, evidence and verdicts. Feed it frames in order with
 * {@link LivenessSession.push}, or a whole source with {@link LivenessSession.stream}. Closing it
 * never touches the engine. Create it with `engine.createSession(options)`.
 */
export class LivenessSession {
  readonly options: ResolvedSessionOptions;
  private readonly tracker: FaceTracker;
  private readonly states = new Map<number, TrackState>();
  private readonly finished: TrackSummary[] = [];
  private readonly orientation: OrientationFinder;
  private readonly skips = new SkipCounter();
  private frameIndex = 0;
  /** Tracks matched by the last detection: the faces carried until the next one. */
  private carried: number[] = [];
  private lastDetectionStarted = -1;
  private busy = false;
  private closed = false;

  /** @internal Use `engine.createSession()`. */
  constructor(
    private readonly engine: SessionHost,
    options: SessionOptions,
    private readonly onClose: () => void,
  ) {
    this.options = resolveSessionOptions(options, engine.threshold);
    this.tracker = new FaceTracker(this.options.tracker);
    this.orientation = new OrientationFinder(engine, this.options.orientation);
  }

  /** The rotation (degrees clockwise) that brings this stream's faces upright, as found so far. */
  get rotation(): Rotation {
    return this.orientation.rotation;
  }

  /** The frames and faces skipped so far because a stage failed on them, counted by reason. */
  skipped(): SkipSummary {
    return this.skips.summary();
  }

  /** Every track of the stream so far (ended ones included), in order of appearance, with its latest state. */
  tracks(): TrackSummary[] {
    return [...this.finished, ...[...this.states.values()].map((s) => s.summary)].sort((a, b) => a.id - b.id);
  }

  /**
   * The stream's verdict so far: among the tracks that reached one, the verdict with the most
   * weight (see `inputVerdict`); `undecided` while none has.
   */
  verdict(): Verdict {
    return inputVerdict(this.tracks());
  }

  /**
   * Analyses the next frame of the stream and returns its result: tracks, blinks and evidence carry
   * over to the next call. `timestampMs` defaults to the frame's index at the session's `fps`.
   * Frames must be pushed one at a time (await each).
   */
  async push(frame: Frame, timestampMs?: number): Promise<FrameResult> {
    this.assertIdle();
    const pending = this.accept(frame, timestampMs);
    this.busy = true;
    try {
      return await this.step(pending);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Runs a whole source through the session and yields one result per frame: an image, video file
   * or camera (path, camera index, bytes, or a stream from `openMedia`), or any (async) iterable of
   * frames or `{ frame, timestampMs }`. The next frame's detection starts while the current one's
   * landmarks and crops are processed (one frame of lookahead).
   */
  async *stream(
    source: MediaInput | MediaStream | AsyncIterable<Frame | TimedFrame> | Iterable<Frame | TimedFrame>,
  ): AsyncGenerator<FrameResult> {
    const frames =
      typeof source === 'string' || typeof source === 'number' || source instanceof Uint8Array
        ? await openMedia(source)
        : source;
    this.assertIdle();
    this.busy = true;
    let pending: Pending | undefined;
    try {
      for await (const item of frames as AsyncIterable<Frame | TimedFrame>) {
        const timed = 'frame' in item ? item : { frame: item as Frame, timestampMs: undefined };
        const upcoming = this.accept(timed.frame, timed.timestampMs);
        if (pending) yield await this.step(pending);
        pending = upcoming;
      }
      if (pending) yield await this.step(pending);
    } finally {
      this.busy = false;
    }
  }

  /** Ends the session (its tracks stay readable); the engine and its other sessions go on. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  private assertIdle(): void {
    if (this.busy) {
      throw new InvalidInputError(
        'the session is still working on a frame (or a stream); await each push() before the next',
      );
    }
  }

  private accept(frame: Frame, timestampMs: number | undefined): Pending {
    if (this.closed) throw new InvalidInputError('the session is closed');
    this.engine.assertOpen();
    assertFrame(frame);
    if (timestampMs !== undefined && !Number.isFinite(timestampMs)) {
      throw new InvalidInputError(`timestampMs must be a finite number, got ${timestampMs}`);
    }
    const index = this.frameIndex++;
    const time = timestampMs ?? (index * 1000) / this.options.fps;
    return { frame, index, timestampMs: time, detection: this.startDetection(frame, index) };
  }

  /**
   * Starts the detection of a frame when it is due: on every `detectEvery`-th frame, and whenever
   * no face is being carried. A detector that runs elsewhere (a worker thread) works on it while
   * the previous frame's landmarks and crops are processed here.
   */
  private startDetection(frame: Frame, index: number): Pending['detection'] {
    // With the previous frame's detection still in flight, what it finds decides (in step()).
    const waiting = this.carried.length > 0 || this.lastDetectionStarted === index - 1;
    if (index % this.options.detectEvery !== 0 && waiting) return undefined;
    this.lastDetectionStarted = index;
    const faces = this.orientation.at().detectFaces(frame);
    faces.catch(() => {}); // awaited in step(); this only keeps a pending failure from counting as unhandled
    return { faces, rotation: this.orientation.rotation };
  }

  /**
   * This frame's detection at the session's rotation (the one started ahead, unless the rotation
   * changed since), checked against the other rotations when that is due; undefined, with the
   * reason in `skipped`, when the detector failed on the frame.
   */
  private async detect(
    frame: Frame,
    timestampMs: number,
    ahead: Pending['detection'],
    skipped: SkippedFace[],
  ): Promise<FrameFaces | undefined> {
    const detected = await attempt(this.engine, skipped, { stage: 'detect' }, async () => {
      const found = await (ahead?.rotation === this.orientation.rotation
        ? ahead.faces
        : this.orientation.at().detectFaces(frame));
      return this.orientation.check(frame, found, timestampMs, this.tracker.tracks.length > 0);
    });
    return detected?.value;
  }

  private async step({ frame, index, timestampMs, detection }: Pending): Promise<FrameResult> {
    const started = performance.now();
    const timings: StageTimings = { detectMs: 0, landmarksMs: 0, classifyMs: 0 };
    const skipped: SkippedFace[] = [];
    // The frame before may have lost every face after this one's detection was decided.
    const found =
      detection || this.carried.length === 0
        ? await this.detect(frame, timestampMs, detection, skipped)
        : undefined;
    let ignored: IgnoredFace[] = [];
    let current: CurrentFace[];
    const ended: TrackSummary[] = [];
    if (found) {
      timings.detectMs = found.ms;
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
    const qualities: FaceQuality[] = [];
    for (const face of current) {
      const analysed = await this.analyzeTrackedFace(frame, face, timestampMs, timings, skipped);
      if (!analysed) continue;
      faces.push(analysed.result);
      qualities.push(analysed.quality);
    }
    this.skips.add(skipped);
    return {
      index,
      timestampMs,
      width: frame.width,
      height: frame.height,
      faces,
      ignored,
      ended,
      skipped,
      rotation: this.orientation.rotation,
      quality: frameQualityOf(qualities, this.options.quality),
      elapsedMs: performance.now() - started,
      timings,
    };
  }

  private newState(id: number, timestampMs: number, detectionScore: number): TrackState {
    const evidence = new EvidenceAccumulator(timestampMs, this.options.fusion.emaAlpha);
    const blinks = this.engine.info.landmarks ? this.options.blinkDetector() : undefined;
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
        ...decide(evidence.snapshot(), this.options.fusion),
      },
    };
  }

  private async analyzeTrackedFace(
    frame: Frame,
    face: CurrentFace,
    timestampMs: number,
    timings: StageTimings,
    skipped: SkippedFace[],
  ): Promise<{ result: FaceResult; quality: FaceQuality } | undefined> {
    const fusion = this.options.fusion;
    const stages = this.orientation.at();
    const state = this.states.get(face.id) as TrackState;
    let box = face.box;
    let blinks = state.evidence.blinks;
    let observable = false;
    let ear: number | undefined;
    let pose: HeadPoseFit | undefined;
    let mar: number | undefined;
    let t = performance.now();
    const predicted = await attempt(this.engine, skipped, { trackId: face.id, stage: 'landmarks' }, () =>
      stages.landmarks(frame, box, face.keypoints),
    );
    timings.landmarksMs += performance.now() - t;
    if (!predicted) return undefined;
    const landmarks = predicted.value;
    if (landmarks) {
      const update = state.blinks?.update(landmarks, timestampMs);
      blinks = update?.blinks ?? blinks;
      observable = update?.observable ?? false;
      ear = update?.ear ?? meanEar(landmarks);
      pose = facePose(landmarks, frame);
      mar = landmarks.length === 68 ? mouthAspectRatio(landmarks) : undefined;
      const c = centroid(landmarks);
      if (!face.detected && state.centroid) {
        // Between detections the landmarks follow the face: move its box by their motion.
        const dx = c[0] - state.centroid[0];
        const dy = c[1] - state.centroid[1];
        box = clipBox([box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy], frame.width, frame.height);
        const track = this.tracker.tracks.find((tr) => tr.id === face.id);
        if (track) {
          track.box = box;
          track.lastSeenMs = timestampMs;
        }
      }
      state.centroid = c;
    }
    const gated = fusion.policy === 'original' && blinks <= fusion.originalBlinks;
    const usable = box[2] - box[0] >= 1 && box[3] - box[1] >= 1;
    const due = state.evidence.frames % this.options.classifyEvery === 0;
    let score: number | undefined;
    if (!gated && usable && due) {
      t = performance.now();
      const scored = await attempt(this.engine, skipped, { trackId: face.id, stage: 'classify' }, () =>
        stages.scoreFace(frame, box),
      );
      timings.classifyMs += performance.now() - t;
      // The blink counter has seen this frame's landmarks, which were good; only its evidence is lost.
      if (!scored) return undefined;
      score = scored.value;
    }
    // Judged on the box and landmarks the frame's result reports, with the session's limits.
    const quality = assessFaceQuality(frame, { box, landmarks, pose, ear }, this.options.quality);
    const gatedBy = score !== undefined && this.options.qualityGate ? gateCodes(quality) : [];
    state.evidence.add(timestampMs, score, blinks, observable, gatedBy);
    const evidence = state.evidence.snapshot();
    const decision = decide(evidence, fusion);
    state.sizeSum += Math.sqrt((box[2] - box[0]) * (box[3] - box[1]));
    const meanFaceSize = state.sizeSum / evidence.frames;
    state.summary = { ...state.summary, lastSeenMs: timestampMs, meanFaceSize, ...evidence, ...decision };
    const result: FaceResult = {
      trackId: face.id,
      box,
      detected: face.detected,
      detectionScore: state.detectionScore,
      score,
      ...(gatedBy.length > 0 ? { gatedBy } : {}),
      landmarks,
      ear,
      pose,
      mar,
      ...decision,
      evidence,
    };
    return { result, quality };
  }
}
