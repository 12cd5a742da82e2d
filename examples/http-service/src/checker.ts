import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Box, InvalidInputError, probeImage, probeVideo, readImage } from '@face-liveness/core';
import {
  analyzeMedia,
  type LivenessEngine,
  type SessionOptions,
  type TrackSummary,
  type Verdict,
} from '@face-liveness/pipeline';
import { ServiceError } from './errors.js';
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
  /** Largest image, or video frame, in pixels (width x height), refused before decoding. Default 16 MP. */
  maxPixels: number;
}

export const DEFAULT_LIMITS: CheckLimits = {
  maxFrames: 300,
  maxDurationMs: 15_000,
  maxWidth: 640,
  maxPixels: 16_000_000,
};

function checkPixels(what: string, width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new ServiceError(
      413,
      'too_many_pixels',
      `${what} ${width}x${height}, more than the ${maxPixels} pixels accepted`,
    );
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
}

/**
 * Checks uploads on the process's one engine (models loaded once): a photo through
 * `engine.analyzeImage`, a video in a session of its own. At most `concurrency` checks run at a
 * time, the others wait their turn (the server bounds how many may wait). The engine belongs to the caller.
 */
export class LivenessChecker {
  private readonly slots: Semaphore;
  private readonly limits: CheckLimits;
  private readonly session: SessionOptions;

  constructor(
    readonly engine: LivenessEngine,
    options: CheckerOptions = {},
  ) {
    this.slots = new Semaphore(options.concurrency ?? 2);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.session = options.session ?? {};
  }

  /** Checks running and waiting, for /readyz and logs. */
  get load(): { running: number; waiting: number; capacity: number } {
    return this.slots.load;
  }

  /** Checks an uploaded image or video. Refusals are {@link ServiceError}s with a 4xx status. */
  async check(bytes: Uint8Array): Promise<CheckResult> {
    const media = sniffMedia(bytes);
    if (!media) {
      throw new ServiceError(
        415,
        'unsupported_type',
        'not an image or video this service reads: send JPEG, PNG, WebP, GIF, BMP, TIFF or AVIF, or MP4, MOV, WebM or AVI',
      );
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
    const { maxPixels } = this.limits;
    const corrupt = (cause: Error) => {
      throw new ServiceError(422, 'corrupt_file', 'the image cannot be decoded', { cause });
    };
    // The header alone tells the size: an image over the limit is refused without being decoded.
    const { width, height } = await probeImage(bytes, { maxPixels: Number.POSITIVE_INFINITY }).catch(corrupt);
    checkPixels('the image is', width, height, maxPixels);
    const frame = await readImage(bytes, { maxPixels }).catch(corrupt);
    const result = await this.engine.analyzeImage(frame, { threshold: this.session.threshold });
    if (result.faces.length === 0) throw new ServiceError(422, 'no_face', NO_FACE);
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
      // ffmpeg's messages name the temporary file and its own addresses: they go to the log only.
      const info = await probeVideo(path).catch((cause: Error) => {
        throw new ServiceError(422, 'corrupt_file', 'the video cannot be decoded', { cause });
      });
      const { maxFrames, maxDurationMs, maxWidth, maxPixels } = this.limits;
      checkPixels('the video frames are', info.width, info.height, maxPixels);
      if ((info.durationMs ?? 0) > maxDurationMs) {
        throw new ServiceError(
          413,
          'too_long',
          `the video lasts ${(info.durationMs ?? 0) / 1000} s; at most ${maxDurationMs / 1000} s are accepted`,
        );
      }
      if ((info.frameCount ?? 0) > maxFrames) {
        throw new ServiceError(
          413,
          'too_many_frames',
          `the video has ${info.frameCount} frames; at most ${maxFrames}`,
        );
      }
      const lastBox = new Map<number, Box>();
      // analyzeMedia runs the video in a session of its own, closed when it ends or throws.
      const summary = await analyzeMedia(this.engine, path, {
        maxWidth,
        maxPixels,
        session: this.session,
        onFrame: (result, _frame, { frames }) => {
          // The container's frame count can lie: count what is decoded too.
          if (frames > maxFrames) {
            throw new ServiceError(413, 'too_many_frames', `the video has more than ${maxFrames} frames`);
          }
          for (const face of result.faces) lastBox.set(face.trackId, roundBox(face.box));
        },
      }).catch((cause: Error) => {
        // A stream that breaks mid-way is the upload's fault; anything else is the service's.
        if (cause instanceof ServiceError || !(cause instanceof InvalidInputError)) throw cause;
        throw new ServiceError(422, 'corrupt_file', 'the video cannot be decoded', { cause });
      });
      if (summary.frames === 0) {
        throw new ServiceError(422, 'corrupt_file', 'the video has no frame that can be decoded');
      }
      const faces = summary.tracks.map((t) => faceOfTrack(t, lastBox));
      if (faces.length === 0) throw new ServiceError(422, 'no_face', NO_FACE);
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
