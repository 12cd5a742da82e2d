import {
  assertFrame,
  type Box,
  type ClassifierLike,
  clipBox,
  type DetectedFace,
  type FaceDetectorLike,
  type Frame,
  InvalidInputError,
  type Keypoint,
  type LandmarkerLike,
  type Point,
} from '@face-liveness/core';
import { mouthAspectRatio } from '@face-liveness/landmarks';
import { type ChallengeOptions, resolveChallengeOptions } from './challenge/options.js';
import { ChallengeSession } from './challenge/session.js';
import { meanFramedScore } from './classifiers/framing.js';
import { checkEngineOptions, type LivenessEngineOptions } from './engine-options.js';
import type {
  AnalyzeImageOptions,
  EngineComponents,
  EngineDescription,
  EngineInfo,
  FrameFaces,
  SessionHost,
} from './engine-types.js';
import { decide, EvidenceAccumulator, resolveFusion } from './fusion.js';
import { loadComponents } from './load.js';
import { meanEar } from './mean-ear.js';
import { OrientationFinder } from './orientation.js';
import {
  assessFaceQuality,
  type FaceQuality,
  frameQualityOf,
  resolveQualityOptions,
} from './quality/assess.js';
import { facePose } from './quality/face-pose.js';
import { gateCodes, resolveQualityGate } from './quality/gate.js';
import { LivenessSession } from './session.js';
import { checkOrientation, type SessionOptions } from './session-options.js';
import { attempt } from './skips.js';
import type { FaceResult, FrameResult, IgnoredFace, SkippedFace } from './types.js';

/**
 * The loaded models, shared by every stream: face detector, landmarker and classifiers. Heavy to
 * create (it loads models), cheap to use: {@link LivenessEngine.analyzeImage} for single images,
 * {@link LivenessEngine.createSession} for each video stream or person. Only
 * {@link LivenessEngine.close} releases the models. Create it with {@link createLivenessEngine}.
 */
export class LivenessEngine implements SessionHost {
  readonly info: EngineInfo;
  private readonly minFaceSize: number;
  private readonly cropMargin: number | undefined;
  private readonly sessions = new Set<LivenessSession>();
  private closed = false;

  /** Wraps components you built yourself; `createLivenessEngine` loads the defaults. */
  constructor(
    readonly components: EngineComponents,
    options: Pick<LivenessEngineOptions, 'minFaceSize' | 'cropMargin'> = {},
    described: Partial<EngineDescription> = {},
  ) {
    checkEngineOptions(options);
    if (components.classifiers.length === 0) {
      throw new InvalidInputError('the engine needs at least one classifier');
    }
    this.minFaceSize = options.minFaceSize ?? 60;
    this.cropMargin = options.cropMargin;
    const thresholds = components.classifiers.map((c) => c.threshold ?? 0.5);
    const custom = { name: 'custom', reason: 'given as an option' };
    this.info = {
      detector: described.detector ?? custom,
      classifier: described.classifier ?? custom,
      landmarks: components.landmarker !== null,
      classifiers: components.classifiers.length,
      threshold: thresholds.reduce((a, b) => a + b, 0) / thresholds.length,
    };
  }

  /** The decision threshold on P(live) (see {@link EngineInfo.threshold}). */
  get threshold(): number {
    return this.info.threshold;
  }

  /** @internal Throws once the engine is closed. */
  assertOpen(): void {
    if (this.closed) throw new InvalidInputError('the liveness engine is closed');
  }

  /**
   * The faces of a frame worth analysing, most confident first: the detector's faces (at or above
   * its own confidence; the project's detectors also drop boxes lying mostly inside a better one)
   * clipped to the frame, without those under `minFaceSize` (listed in `ignored`).
   */
  async detectFaces(frame: Frame): Promise<FrameFaces> {
    this.assertOpen();
    const started = performance.now();
    const found = [...(await this.components.detector.detect(frame))].sort((a, b) => b.score - a.score);
    const faces: DetectedFace[] = [];
    const ignored: IgnoredFace[] = [];
    for (const face of found) {
      const box = clipBox(face.box, frame.width, frame.height);
      if (box[2] - box[0] < this.minFaceSize || box[3] - box[1] < this.minFaceSize) {
        ignored.push({ box, score: face.score, reason: `smaller than minFaceSize ${this.minFaceSize}` });
      } else faces.push({ box, score: face.score, keypoints: face.keypoints });
    }
    return { faces, ignored, ms: performance.now() - started };
  }

  /** The 68 landmarks of a face, or undefined when the engine has no landmarker. */
  async landmarks(frame: Frame, box: Box, keypoints?: readonly Keypoint[]): Promise<Point[] | undefined> {
    this.assertOpen();
    return this.components.landmarker
      ? await this.components.landmarker.predict(frame, box, keypoints)
      : undefined;
  }

  /**
   * P(live) of the face in `box`: each classifier sees the framing it was trained on (its own
   * `classifyFace`, else a crop with its own `cropMargin`; the engine's `cropMargin` forces crops),
   * and the classifiers' P(live) are averaged. This mean is the project's one ensemble rule (as the
   * original's evaluation_ens.py), with the mean of their thresholds as the engine's threshold.
   */
  async scoreFace(frame: Frame, box: Box): Promise<number> {
    this.assertOpen();
    return meanFramedScore(this.components.classifiers, frame, box, this.cropMargin);
  }

  /**
   * One still image: every face is classified once and judged by the classifier alone (a single
   * frame has no blinks; stream policies need a session). The image is analysed at the rotation
   * that brings its faces upright (`options.orientation`); a face a stage fails on is left out and
   * listed in `skipped`. With `qualityGate` (default off, see `SessionOptions.qualityGate`) a face
   * failing a gating quality check is `undecided`, with the checks' messages, not judged on its
   * score. Stateless: safe to call concurrently.
   */
  async analyzeImage(frame: Frame, options: AnalyzeImageOptions = {}): Promise<FrameResult> {
    assertFrame(frame);
    const started = performance.now();
    const gate = resolveQualityGate(options.qualityGate);
    const limits = gate ?? resolveQualityOptions({});
    const qualities: FaceQuality[] = [];
    const single = {
      ...resolveFusion({ threshold: options.threshold }, this.threshold),
      policy: 'passive' as const,
      minFrames: 1,
    };
    const orientation = new OrientationFinder(this, checkOrientation(options.orientation));
    const stages = orientation.at();
    const skipped: SkippedFace[] = [];
    const detected = await attempt(this, skipped, { stage: 'detect' }, async () =>
      orientation.check(frame, await stages.detectFaces(frame), 0, false),
    );
    const { faces, ignored, ms } = detected?.value ?? { faces: [], ignored: [], ms: 0 };
    const timings = { detectMs: ms, landmarksMs: 0, classifyMs: 0 };
    const results: FaceResult[] = [];
    for (const [i, face] of faces.entries()) {
      const trackId = i + 1;
      const upright = orientation.at();
      let t = performance.now();
      const predicted = await attempt(this, skipped, { trackId, stage: 'landmarks' }, () =>
        upright.landmarks(frame, face.box, face.keypoints),
      );
      timings.landmarksMs += performance.now() - t;
      if (!predicted) continue;
      t = performance.now();
      const scored = await attempt(this, skipped, { trackId, stage: 'classify' }, () =>
        upright.scoreFace(frame, face.box),
      );
      timings.classifyMs += performance.now() - t;
      if (!scored) continue;
      const landmarks = predicted.value;
      const score = scored.value;
      const ear = landmarks && meanEar(landmarks);
      const pose = landmarks && facePose(landmarks, frame);
      const quality = assessFaceQuality(frame, { box: face.box, landmarks, pose, ear }, limits);
      qualities.push(quality);
      const gatedBy = gate ? gateCodes(quality) : [];
      const evidence = new EvidenceAccumulator(0, single.emaAlpha);
      evidence.add(0, score, 0, false, gatedBy);
      const snapshot = evidence.snapshot();
      const messages = quality.checks.filter((c) => gatedBy.includes(c.code)).map((c) => c.message);
      results.push({
        trackId,
        box: face.box,
        detected: true,
        detectionScore: face.score,
        score,
        ...(gatedBy.length > 0 ? { gatedBy } : {}),
        landmarks,
        ear,
        pose,
        mar: landmarks?.length === 68 ? mouthAspectRatio(landmarks) : undefined,
        ...(gatedBy.length > 0
          ? { verdict: 'undecided' as const, reason: `face quality too low: ${messages.join('; ')}` }
          : decide(snapshot, single)),
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
      skipped,
      rotation: orientation.rotation,
      quality: frameQualityOf(qualities, limits),
      elapsedMs: performance.now() - started,
      timings,
    };
  }

  /**
   * A new session: one video stream or one person, with its own tracker, blink counters and fusion.
   * Cheap (no model loads); close it when its stream ends. Many sessions may run at once.
   */
  createSession(options: SessionOptions = {}): LivenessSession {
    this.assertOpen();
    const session = new LivenessSession(this, options, () => this.sessions.delete(session));
    this.sessions.add(session);
    return session;
  }

  /**
   * A new active liveness check (challenge-response): the person is asked for a few actions
   * (turn left or right, look up, blink, open the mouth, move closer) in an order drawn at random
   * (or `options.steps`), on top of a session that judges the face passively. See
   * `docs/guides/active-liveness.md`.
   */
  createChallenge(options: ChallengeOptions = {}): ChallengeSession {
    // Turns, look-up, open-mouth and blinks are read from the 68 landmarks: without them those
    // steps could never be done, and the face's size alone proves little.
    if (!this.info.landmarks) {
      throw new InvalidInputError(
        'a challenge needs face landmarks, but this engine has none (its landmarker is null): ' +
          'create the engine with a landmarker',
      );
    }
    const resolved = resolveChallengeOptions(options);
    return new ChallengeSession(this.createSession(options.session), resolved);
  }

  /** Releases the models, once; open sessions fail from then on. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sessions.clear();
    const { detector, landmarker, classifiers } = this.components;
    await Promise.all([detector.close(), landmarker?.close(), ...classifiers.map((c) => c.close())]);
  }
}

/**
 * Loads a liveness engine: the face detector, the landmarker and the classifier(s), in parallel.
 * Components not given are loaded from the model store; a missing model raises a
 * `ModelNotFoundError` that says how to get it.
 *
 * ```ts
 * const engine = await createLivenessEngine();
 * const session = engine.createSession({ policy: 'fused' });
 * for await (const result of session.stream('clip.mp4')) console.log(result.faces);
 * console.log(session.verdict());
 * await engine.close();
 * ```
 */
export async function createLivenessEngine(options: LivenessEngineOptions = {}): Promise<LivenessEngine> {
  checkEngineOptions(options);
  const { components, described } = await loadComponents(options);
  try {
    return new LivenessEngine(components, options, described);
  } catch (error) {
    const { detector: d, landmarker, classifiers } = components;
    await Promise.all([d.close(), landmarker?.close(), ...classifiers.map((c) => c.close())]);
    throw error;
  }
}
