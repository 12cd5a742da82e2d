import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaceLivenessError, isImagePath, readImage } from '@face-liveness/core';
import { type LivenessEngine, openMedia, type Verdict } from '@face-liveness/pipeline';
import { UnrecoverableError } from 'bullmq';
import { type DownloadOptions, download } from './download.js';

/** A stored verdict. */
export interface JobVerdict {
  source: string;
  /**
   * The input's verdict: in a video, the verdict held by the most face-frames (the session's
   * `verdict()`); in a photo, the first (most confident) face's; `no_face` when there is none.
   */
  verdict: Verdict | 'no_face';
  reason: string;
  faces: { id: number; verdict: Verdict; reason: string; score: number; blinks: number; frames: number }[];
  frames: number;
  /** Which worker process checked it, and how long it took. */
  worker: string;
  elapsedMs: number;
}

type FaceVerdict = JobVerdict['faces'][number];
interface Found {
  faces: FaceVerdict[];
  verdict?: Verdict;
  frames: number;
}

/** A photo: each face classified once (`engine.analyzeImage`), no session needed. */
async function checkImage(engine: LivenessEngine, path: string): Promise<Found> {
  const result = await engine.analyzeImage(await readImage(path));
  const faces = result.faces.map((f) => ({
    id: f.trackId,
    verdict: f.verdict,
    reason: f.reason,
    score: f.evidence.score,
    blinks: 0,
    frames: 1,
  }));
  return { faces, verdict: faces[0]?.verdict, frames: 1 };
}

/** A video: tracked in a session of its own (this job's faces and blinks only), closed at the end. */
async function checkVideo(
  engine: LivenessEngine,
  path: string,
  onProgress: (percent: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<Found> {
  const video = await openMedia(path);
  const total = video.frameCount ?? 0;
  const session = engine.createSession();
  try {
    let frames = 0;
    for await (const _ of session.stream(video)) {
      signal?.throwIfAborted();
      frames++;
      if (total > 0 && frames % 30 === 0) await onProgress(Math.min(99, Math.round((100 * frames) / total)));
    }
    const tracks = session.tracks();
    return {
      faces: tracks.map(({ id, verdict, reason, score, blinks, frames }) => ({
        id,
        verdict,
        reason,
        score,
        blinks,
        frames,
      })),
      verdict: tracks.length ? session.verdict() : undefined,
      frames,
    };
  } finally {
    await session.close();
  }
}

/**
 * Checks one file or URL on `engine`, reporting progress (0-100). Bad input (missing, corrupt,
 * not a video, a refused URL) is an UnrecoverableError: retrying cannot help, the job goes to the
 * failed list. `options.signal` ends the download or the video's analysis early.
 */
export async function checkSource(
  engine: LivenessEngine,
  source: string,
  onProgress: (percent: number) => Promise<void>,
  options: DownloadOptions = {},
): Promise<JobVerdict> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'liveness-job-'));
  try {
    const path = /^https?:\/\//.test(source) ? await download(source, dir, options) : source;
    const { faces, verdict, frames } = isImagePath(path)
      ? await checkImage(engine, path)
      : await checkVideo(engine, path, onProgress, options.signal);
    await onProgress(100);
    // The reason shown is that of the longest track holding the verdict.
    const main = faces
      .filter((f) => verdict === 'undecided' || f.verdict === verdict)
      .reduce<FaceVerdict | undefined>((best, f) => (!best || f.frames > best.frames ? f : best), undefined);
    return {
      source,
      verdict: verdict ?? 'no_face',
      reason: main?.reason ?? 'no face found',
      faces,
      frames,
      worker: `${process.pid}`,
      elapsedMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (error instanceof FaceLivenessError) throw new UnrecoverableError(error.message);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
