import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Box, InvalidInputError, probeVideo, readImage } from '@face-liveness/core';
import {
  analyzeMedia,
  type LivenessEngine,
  type SessionOptions,
  type TrackSummary,
  type Verdict,
} from '@face-liveness/pipeline';
import { type MediaKind, sniffMedia } from './media-type.js';
import { Semaphore } from './semaphore.js';

/** Limits on what one check may cost. */
export interface CheckLimits {
  /** Frames analysed at most; longer videos are refused. Default 300. */
  maxFrames: number;
  /** Longest video accepted, in milliseconds. Default 15000. */
  maxDurationMs: number;
  /** Videos wider than this are downscaled before analysis. Default 640. */
  maxWidth: number;
}

export const DEFAULT_LIMITS: CheckLimits = { maxFrames: 300, maxDurationMs: 15_000, maxWidth: 640 };

/** A refused upload: the HTTP status and a stable error code go to the client. */
export class UploadError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One face of the answer. */
export interface FaceVerdict {
  id: number;
  verdict: Verdict;
  reason: string;
  /** Mean P(live) over the frames classified. */
  score: number;
  blinks: number;
  frames: number;
  /** Box in the last frame the face was seen. */
  box?: Box;
}

/** The answer to one check. */
export interface CheckResult {
  kind: MediaKind;
  format: string;
  /**
   * The input's verdict: in a video, the verdict held by the most face-frames (the pipeline's
   * `inputVerdict`: a passer-by weighs little, a spoof wins a tie); in a still image, the largest face's.
   */
  verdict: Verdict;
  reason: string;
  faces: FaceVerdict[];
  frames: number;
  width: number;
  height: number;
  elapsedMs: number;
}

const NO_FACE = 'no face found: send a photo or video with one face, well lit, at least 60 pixels wide';

function faceOfTrack(track: TrackSummary, lastBox: Map<number, Box>): FaceVerdict {
  return {
    id: track.id,
    verdict: track.verdict,
    reason: track.reason,
    score: track.score,
    blinks: track.blinks,
    frames: track.frames,
    box: lastBox.get(track.id),
  };
}

const roundBox = (b: Box): Box => [Math.round(b[0]), Math.round(b[1]), Math.round(b[2]), Math.round(b[3])];
const area = (b: Box | undefined) => (b ? (b[2] - b[0]) * (b[3] - b[1]) : 0);

/** Options of {@link LivenessChecker}. */
export interface CheckerOptions {
  /** Options of each video's session (fusion policy, threshold, cadence); `threshold` applies to photos too. */
  session?: SessionOptions;
  limits?: Partial<CheckLimits>;
  /** Checks running at once. Default 2. */
  concurrency?: number;
  /** Checks waiting beyond that before the service answers 503. Default 16. */
  maxQueue?: number;
}

/**
 * Checks uploads on the process's one engine (models loaded once): a photo through
 * `engine.analyzeImage`, a video in a session of its own. At most `concurrency` checks run at a
 * time, the others wait in a queue of at most `maxQueue`. The engine belongs to the caller.
 */
export class LivenessChecker {
  private readonly slots: Semaphore;
  private readonly limits: CheckLimits;
  private readonly maxQueue: number;
  private readonly session: SessionOptions;

  constructor(
    private readonly engine: LivenessEngine,
    options: CheckerOptions = {},
  ) {
    const concurrency = options.concurrency ?? 2;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new InvalidInputError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.slots = new Semaphore(concurrency);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.maxQueue = options.maxQueue ?? 16;
    this.session = options.session ?? {};
  }

  /** Checks running and waiting, for /healthz and logs. */
  get load(): { running: number; waiting: number; capacity: number } {
    return this.slots.load;
  }

  /** Checks an uploaded image or video. Refusals are {@link UploadError}s with a 4xx or 503 status. */
  async check(bytes: Uint8Array): Promise<CheckResult> {
    const media = sniffMedia(bytes);
    if (!media) {
      throw new UploadError(
        415,
        'unsupported_type',
        'not an image or video this service reads: send JPEG, PNG, WebP, GIF, BMP, TIFF or AVIF, or MP4, MOV, WebM or AVI',
      );
    }
    const { running, waiting, capacity } = this.slots.load;
    if (running >= capacity && waiting >= this.maxQueue) {
      throw new UploadError(503, 'busy', `${waiting} checks are already waiting; retry later`);
    }
    await this.slots.acquire();
    const started = performance.now();
    try {
      const result = media.kind === 'image' ? await this.checkImage(bytes) : await this.checkVideo(bytes);
      return { ...media, ...result, elapsedMs: Math.round(performance.now() - started) };
    } finally {
      this.slots.release();
    }
  }

  private async checkImage(bytes: Uint8Array) {
    const frame = await readImage(bytes).catch((error: Error) => {
      throw new UploadError(422, 'corrupt_file', `the image cannot be decoded: ${error.message}`);
    });
    const result = await this.engine.analyzeImage(frame, { threshold: this.session.threshold });
    if (result.faces.length === 0) throw new UploadError(422, 'no_face', NO_FACE);
    const faces = result.faces.map<FaceVerdict>((f) => ({
      id: f.trackId,
      verdict: f.verdict,
      reason: f.reason,
      score: f.evidence.score,
      blinks: 0,
      frames: 1,
      box: roundBox(f.box),
    }));
    const main = faces.reduce((a, b) => (area(b.box) > area(a.box) ? b : a));
    return {
      verdict: main.verdict,
      reason: main.reason,
      faces,
      frames: 1,
      width: frame.width,
      height: frame.height,
    };
  }

  private async checkVideo(bytes: Uint8Array) {
    // ffmpeg reads files: the upload goes to a private temporary folder, removed afterwards.
    const dir = await mkdtemp(join(tmpdir(), 'liveness-upload-'));
    try {
      const path = join(dir, 'upload');
      await writeFile(path, bytes);
      const info = await probeVideo(path).catch((error: Error) => {
        throw new UploadError(422, 'corrupt_file', `the video cannot be decoded: ${error.message}`);
      });
      const { maxFrames, maxDurationMs, maxWidth } = this.limits;
      if ((info.durationMs ?? 0) > maxDurationMs) {
        throw new UploadError(
          413,
          'too_long',
          `the video lasts ${(info.durationMs ?? 0) / 1000} s; at most ${maxDurationMs / 1000} s are accepted`,
        );
      }
      if ((info.frameCount ?? 0) > maxFrames) {
        throw new UploadError(
          413,
          'too_many_frames',
          `the video has ${info.frameCount} frames; at most ${maxFrames}`,
        );
      }
      const lastBox = new Map<number, Box>();
      // analyzeMedia runs the video in a session of its own, closed when it ends or throws.
      const summary = await analyzeMedia(this.engine, path, {
        maxWidth,
        session: this.session,
        onFrame: (result, _frame, { frames }) => {
          // The container's frame count can lie: count what is decoded too.
          if (frames > maxFrames) {
            throw new UploadError(413, 'too_many_frames', `the video has more than ${maxFrames} frames`);
          }
          for (const face of result.faces) lastBox.set(face.trackId, roundBox(face.box));
        },
      });
      if (summary.frames === 0) {
        throw new UploadError(422, 'corrupt_file', 'the video has no frame that can be decoded');
      }
      const faces = summary.tracks.map((t) => faceOfTrack(t, lastBox));
      if (faces.length === 0) throw new UploadError(422, 'no_face', NO_FACE);
      const { verdict } = summary;
      // The reason shown is that of the longest track holding the verdict.
      const main = faces
        .filter((f) => verdict === 'undecided' || f.verdict === verdict)
        .reduce((a, b) => (b.frames > a.frames ? b : a));
      return {
        verdict,
        reason: main.reason,
        faces,
        frames: summary.frames,
        width: summary.width,
        height: summary.height,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
