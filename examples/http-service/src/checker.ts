import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Box, InvalidInputError, probeVideo, readImage } from '@face-liveness/core';
import {
  createLivenessPipeline,
  type FrameResult,
  inputVerdict,
  LivenessPipeline,
  type LivenessPipelineOptions,
  type TrackSummary,
  type Verdict,
} from '@face-liveness/pipeline';
import { type MediaKind, sniffMedia } from './media-type.js';

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

/**
 * Checks uploads with a fixed number of pipelines that share one set of models (loaded once):
 * at most `concurrency` checks run at a time, the others wait in a queue of at most `maxQueue`.
 */
export class LivenessChecker {
  private readonly idle: LivenessPipeline[];
  private readonly capacity: number;
  private readonly waiting: ((pipeline: LivenessPipeline) => void)[] = [];

  private constructor(
    private readonly owner: LivenessPipeline,
    pipelines: LivenessPipeline[],
    private readonly limits: CheckLimits,
    private readonly maxQueue: number,
  ) {
    this.idle = pipelines;
    this.capacity = pipelines.length;
  }

  static async create(
    options: {
      pipeline?: LivenessPipelineOptions;
      limits?: Partial<CheckLimits>;
      concurrency?: number;
      maxQueue?: number;
    } = {},
  ): Promise<LivenessChecker> {
    const concurrency = options.concurrency ?? 2;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new InvalidInputError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    const owner = await createLivenessPipeline(options.pipeline);
    // The other pipelines reuse the owner's detector, landmarker and classifiers: each pipeline has
    // its own tracks, the models exist once.
    const pipelines = [owner];
    for (let i = 1; i < concurrency; i++)
      pipelines.push(new LivenessPipeline(owner.components, options.pipeline));
    return new LivenessChecker(
      owner,
      pipelines,
      { ...DEFAULT_LIMITS, ...options.limits },
      options.maxQueue ?? 16,
    );
  }

  /** Checks running and waiting, for /healthz and logs. */
  get load(): { running: number; waiting: number; capacity: number } {
    const capacity = this.capacity;
    return { running: capacity - this.idle.length, waiting: this.waiting.length, capacity };
  }

  private async acquire(): Promise<LivenessPipeline> {
    const pipeline = this.idle.pop();
    if (pipeline) return pipeline;
    if (this.waiting.length >= this.maxQueue) {
      throw new UploadError(503, 'busy', `${this.waiting.length} checks are already waiting; retry later`);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(pipeline: LivenessPipeline): void {
    const next = this.waiting.shift();
    if (next) next(pipeline);
    else this.idle.push(pipeline);
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
    const pipeline = await this.acquire();
    const started = performance.now();
    try {
      const result =
        media.kind === 'image'
          ? await this.checkImage(pipeline, bytes)
          : await this.checkVideo(pipeline, bytes);
      return { ...media, ...result, elapsedMs: Math.round(performance.now() - started) };
    } finally {
      this.release(pipeline);
    }
  }

  private async checkImage(pipeline: LivenessPipeline, bytes: Uint8Array) {
    const frame = await readImage(bytes).catch((error: Error) => {
      throw new UploadError(422, 'corrupt_file', `the image cannot be decoded: ${error.message}`);
    });
    const result = await pipeline.analyzeFrame(frame);
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

  private async checkVideo(pipeline: LivenessPipeline, bytes: Uint8Array) {
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
      let last: FrameResult | undefined;
      let frames = 0;
      for await (const result of pipeline.analyzeVideo(path, { maxWidth })) {
        // The container's frame count can lie: count what is decoded too.
        if (++frames > maxFrames) {
          throw new UploadError(413, 'too_many_frames', `the video has more than ${maxFrames} frames`);
        }
        for (const face of result.faces) lastBox.set(face.trackId, roundBox(face.box));
        last = result;
      }
      if (!last) throw new UploadError(422, 'corrupt_file', 'the video has no frame that can be decoded');
      const tracks = pipeline.tracks();
      const faces = tracks.map((t) => faceOfTrack(t, lastBox));
      if (faces.length === 0) throw new UploadError(422, 'no_face', NO_FACE);
      const verdict = inputVerdict(tracks);
      // The reason shown is that of the longest track holding the verdict.
      const main = faces
        .filter((f) => verdict === 'undecided' || f.verdict === verdict)
        .reduce((a, b) => (b.frames > a.frames ? b : a));
      return {
        verdict,
        reason: main.reason,
        faces,
        frames,
        width: last.width,
        height: last.height,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Releases the models (once every running check has ended). */
  async close(): Promise<void> {
    await this.owner.close();
  }
}
