import { resolve } from 'node:path';
import {
  type Frame,
  InvalidInputError,
  importOptional,
  type ReadVideoOptions,
  type Rotation,
  VideoWriter,
} from '@face-liveness/core';
import type { AnnotatorOptions } from './annotate.js';
import type { LivenessEngine } from './engine.js';
import type { Verdict } from './fusion.js';
import { inputVerdict } from './input-verdict.js';
import type { SessionOptions } from './session-options.js';
import { SkipCounter } from './skips.js';
import { isMediaStream, type MediaInput, type MediaStream, openMedia } from './sources.js';
import type { FrameResult, TrackSummary } from './types.js';

/** Options of {@link analyzeMedia}. */
export interface AnalyzeMediaOptions extends ReadVideoOptions {
  /** Options of the session a video or camera runs in (policy, detection cadence...). */
  session?: SessionOptions;
  /** Write the annotated video (H.264 MP4) here; it is replaced if it exists. */
  output?: string;
  /** Frame rate of the output video; default: the input's. */
  outputFps?: number;
  annotate?: AnnotatorOptions;
  /** Stop early (e.g. on Ctrl-C); the output file is finished and stays valid. */
  signal?: AbortSignal;
  /** Called after every frame, with the frame (already annotated when writing a video) and its result. */
  onFrame?: (result: FrameResult, frame: Frame, progress: MediaProgress) => void;
}

/** Progress of {@link analyzeMedia}, as passed to `onFrame`. */
export interface MediaProgress {
  /** Frames done so far. */
  frames: number;
  /** Frames expected in total, when known. */
  total?: number;
  /** Frames per second of the whole loop (decode, analysis, drawing, encoding) so far. */
  fps: number;
}

/** What a run found in one input. */
export interface MediaSummary {
  input: string;
  kind: 'image' | 'video' | 'camera';
  /** Frames processed. */
  frames: number;
  /** Frame rate of the input (of the output video too). */
  fps: number;
  width: number;
  height: number;
  /** Processing speed of the whole loop. */
  processingFps: number;
  /** True when stopped by the signal before the end of the input. */
  aborted: boolean;
  /** The input's verdict: see {@link inputVerdict}. */
  verdict: Verdict;
  tracks: TrackSummary[];
  /**
   * Frames where a stage failed on a face (or on the frame's detection): those faces were left out
   * and the input went on (see `FrameResult.skipped`).
   */
  skippedFrames: number;
  /** The skips by reason (`stage: message`, numbers written `#`), for the frames in `skippedFrames`. */
  skipReasons: Record<string, number>;
  /** The rotation (degrees clockwise) that brought the faces upright, at the last frame. */
  rotation: Rotation;
}

async function loadAnnotator() {
  await importOptional('@napi-rs/canvas', 'Writing an annotated video', () => import('@napi-rs/canvas'));
  return (await import('./annotate.js')).Annotator;
}

/**
 * Runs one input (image, video file or camera; a path, bytes, or a stream from `openMedia`) on an
 * engine and returns the verdict of every face track; optionally writes the annotated video. An
 * image is judged by the classifier alone (`engine.analyzeImage`); a video or camera goes through
 * a session of its own (tracker and fusion policy), closed at the end.
 */
export async function analyzeMedia(
  engine: LivenessEngine,
  input: MediaInput | MediaStream,
  options: AnalyzeMediaOptions = {},
): Promise<MediaSummary> {
  const source = isMediaStream(input) ? input.source : input;
  if (options.output && typeof source === 'string' && resolve(options.output) === resolve(source)) {
    throw new InvalidInputError(`the output ${options.output} is the input video; choose another file name`);
  }
  const media = isMediaStream(input) ? input : await openMedia(input, options);
  // Drawing needs @napi-rs/canvas, an optional dependency: loaded only when a video is written.
  const annotator = options.output
    ? new (await loadAnnotator())(media.width, media.height, {
        threshold: options.session?.threshold ?? engine.threshold,
        ...options.annotate,
      })
    : undefined;
  const writer = options.output
    ? new VideoWriter(options.output, {
        width: media.width,
        height: media.height,
        fps: options.outputFps ?? media.fps,
      })
    : undefined;
  const session = engine.createSession(options.session);
  const started = performance.now();
  let frames = 0;
  let aborted = false;
  const fps = () => (frames * 1000) / Math.max(1, performance.now() - started);
  let tracks: TrackSummary[] = [];
  const skips = new SkipCounter();
  let rotation: Rotation = 0;
  try {
    // Frames go to the session in order and results come back in order, one frame behind
    // (it looks one frame ahead): the queue pairs each result with its frame.
    const fed: Frame[] = [];
    async function* feed() {
      for await (const item of media) {
        if (options.signal?.aborted) {
          aborted = true;
          return;
        }
        fed.push(item.frame);
        yield item;
      }
    }
    const results =
      media.kind === 'image'
        ? (async function* () {
            for await (const item of feed()) yield await engine.analyzeImage(item.frame, options.session);
          })()
        : session.stream(feed());
    for await (const result of results) {
      let frame = fed.shift() as Frame;
      if (annotator && writer) {
        frame = annotator.draw(frame, result, fps());
        await writer.write(frame);
      }
      frames++;
      skips.add(result.skipped);
      rotation = result.rotation;
      if (media.kind === 'image') tracks = result.faces.map((f) => imageTrack(f));
      options.onFrame?.(result, frame, { frames, total: media.frameCount, fps: fps() });
    }
    if (media.kind !== 'image') tracks = session.tracks();
  } finally {
    await session.close();
    await writer?.close();
  }
  return {
    input: media.source,
    kind: media.kind,
    frames,
    fps: media.fps,
    width: media.width,
    height: media.height,
    processingFps: fps(),
    aborted,
    verdict: inputVerdict(tracks),
    tracks,
    skippedFrames: skips.summary().frames,
    skipReasons: skips.summary().reasons,
    rotation,
  };
}

function imageTrack(face: FrameResult['faces'][number]): TrackSummary {
  const [x1, y1, x2, y2] = face.box;
  return {
    id: face.trackId,
    firstSeenMs: 0,
    lastSeenMs: 0,
    meanFaceSize: Math.sqrt((x2 - x1) * (y2 - y1)),
    verdict: face.verdict,
    reason: face.reason,
    ...face.evidence,
  };
}
