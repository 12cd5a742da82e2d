import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cropFrame,
  encodeImage,
  findFfmpeg,
  InvalidInputError,
  ModelNotFoundError,
  ModelStore,
  probeVideo,
  readImage,
  readVideo,
} from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { createFaceDetector } from '@face-liveness/face-detector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia } from '../src/analyze-media.js';
import { createLivenessEngine, LivenessEngine } from '../src/engine.js';
import type { FaceResult, FrameResult } from '../src/types.js';
import { WorkerFaceDetector } from '../src/worker-detector.js';

const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const FAKE = sharedPath('data/replay-one-subject/videos/fake.mp4');
const SEED_MODEL = sharedPath('models/seed-livenessnet/liveness.model');
const CMYK_JPEG = sharedPath('data/seed-sample/real');
const NUAA_FRAME = sharedPath('data/nuaa/real/0003');
const tmp = mkdtempSync(join(tmpdir(), 'fl-pipeline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Colour components of a JPEG, from its start-of-frame segment (4 = CMYK). */
function jpegComponents(bytes: Uint8Array): number | undefined {
  for (let i = 2; i + 9 < bytes.length; ) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return bytes[i + 9];
    i += 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
  }
  return undefined;
}

async function firstFrames(path: string, count: number) {
  const frames = [];
  for await (const item of await readVideo(path)) {
    frames.push(item);
    if (frames.length === count) break;
  }
  return frames;
}

// The original LivenessNet stands in for the default model in the tests of the mechanics (tracking,
// outputs, errors); verdict quality is tested with the default model below.
describe('engine and session mechanics with real models', () => {
  let engine: LivenessEngine;
  // Passive: the tests check the mechanics, not the seed model's confidence or blinks.
  const passive = { policy: 'passive' } as const;
  beforeAll(async () => {
    if ([SEED_MODEL, DLIB_68_PATH].every((p) => existsSync(p))) {
      engine = await createLivenessEngine({ classifierModel: SEED_MODEL });
    }
  });
  afterAll(() => engine?.close());

  it('tracks the one face of a real video under one id, with detection every frame or every 3rd', async (ctx) => {
    needFiles(ctx, REAL, SEED_MODEL, DLIB_68_PATH);
    const frames = await firstFrames(REAL, 60);
    // The subject is track 1 in every frame. (res10, like OpenCV's original, also reports a
    // confident box on the lower right of this clip's first seconds: a second track, not checked.)
    const subject = (r: FrameResult) => r.faces.find((f) => f.trackId === 1) as FaceResult;
    const every1: FrameResult[] = [];
    for await (const r of engine.createSession(passive).stream(frames)) every1.push(r);
    expect(every1).toHaveLength(60);
    expect(every1.map((r) => r.index)).toEqual([...Array(60).keys()]);
    expect(every1.every((r) => subject(r) !== undefined)).toBe(true);
    expect(subject(every1[59]).evidence.classifiedFrames).toBe(60);
    expect(subject(every1[59]).landmarks).toHaveLength(68);
    expect(subject(every1[59]).verdict).not.toBe('undecided');

    const sparse = engine.createSession({ ...passive, detectEvery: 3, classifyEvery: 2 });
    const every3: FrameResult[] = [];
    for await (const r of sparse.stream(frames)) every3.push(r);
    expect(every3.every((r) => subject(r) !== undefined)).toBe(true);
    expect(every3.map((r) => subject(r).detected)).toEqual(frames.map((_, i) => i % 3 === 0));
    expect(subject(every3[59]).evidence.classifiedFrames).toBe(30);
    // Between detections the landmark-carried box stays on the face: close to the detector's own box.
    for (let i = 1; i < 60; i++) {
      if (i % 3 === 0) continue;
      const carried = subject(every3[i]).box;
      const detected = subject(every1[i]).box;
      const overlap =
        Math.max(0, Math.min(carried[2], detected[2]) - Math.max(carried[0], detected[0])) *
        Math.max(0, Math.min(carried[3], detected[3]) - Math.max(carried[1], detected[1]));
      const union =
        (carried[2] - carried[0]) * (carried[3] - carried[1]) +
        (detected[2] - detected[0]) * (detected[3] - detected[1]) -
        overlap;
      expect(overlap / union).toBeGreaterThan(0.7);
    }
  });

  it('runs two videos at once on one engine exactly as each alone', async (ctx) => {
    needFiles(ctx, REAL, FAKE, SEED_MODEL, DLIB_68_PATH);
    const clips = [await firstFrames(REAL, 30), await firstFrames(FAKE, 30)];
    const run = async (frames: Awaited<ReturnType<typeof firstFrames>>) => {
      const results: FrameResult[] = [];
      for await (const r of engine.createSession(passive).stream(frames)) results.push(r);
      return results.map((r) => ({ ...r, elapsedMs: 0, timings: undefined }));
    };
    const alone = [await run(clips[0]), await run(clips[1])];
    const together = await Promise.all(clips.map(run));
    expect(together[0]).toEqual(alone[0]);
    expect(together[1]).toEqual(alone[1]);
    expect(alone[1].some((r) => r.faces.length > 0)).toBe(true);
  });

  it('writes an annotated H.264 video with the input’s frame count and rate', async (ctx) => {
    needFiles(ctx, REAL, SEED_MODEL, DLIB_68_PATH);
    const cut = join(tmp, 'short.mp4');
    // A 2-second excerpt keeps the test fast; the whole clip runs in the verdict test.
    execFileSync(findFfmpeg(), ['-v', 'error', '-y', '-i', REAL, '-frames:v', '60', '-c:v', 'libx264', cut]);
    const out = join(tmp, 'annotated.mp4');
    const summary = await analyzeMedia(engine, cut, { output: out, session: passive });
    const info = await probeVideo(out);
    expect(info).toMatchObject({
      codec: 'h264',
      width: 368,
      height: 656,
      fps: 30,
      frameCount: summary.frames,
    });
    expect(summary.frames).toBe(60);
    expect(summary.tracks[0]).toMatchObject({ id: 1, frames: 60 });
    // The drawn box is visible: the annotated frame differs from the source along the face box.
    const [source] = await firstFrames(cut, 1);
    const [drawn] = await firstFrames(out, 1);
    let changed = 0;
    for (let i = 0; i < source.frame.data.length; i++)
      if (Math.abs(source.frame.data[i] - drawn.frame.data[i]) > 60) changed++;
    expect(changed).toBeGreaterThan(500);
  });

  it('returns no faces, not an error, for a frame without a face', async (ctx) => {
    needFiles(ctx, NUAA_FRAME, SEED_MODEL, DLIB_68_PATH);
    const frame = await readImage(join(NUAA_FRAME, readdirSync(NUAA_FRAME)[0]));
    // The top-left corner of a NUAA webcam frame is wall and background.
    const background = cropFrame(frame, [0, 0, 120, 120]);
    const result = await engine.analyzeImage(background);
    expect(result.faces).toEqual([]);
    const summary = await analyzeMedia(engine, await encodeImage(background));
    expect(summary).toMatchObject({ kind: 'image', frames: 1, tracks: [] });
  });

  it('skips faces below minFaceSize (the original --face_thresh) and reports them', async (ctx) => {
    needFiles(ctx, NUAA_FRAME, SEED_MODEL, DLIB_68_PATH);
    const frame = await readImage(join(NUAA_FRAME, readdirSync(NUAA_FRAME)[0]));
    const full = await engine.analyzeImage(frame);
    expect(full.faces).toHaveLength(1);
    // A second engine over the same loaded components (not closed: it does not own them here).
    const { detector, classifiers } = engine.components;
    const strict = new LivenessEngine({ detector, classifiers, landmarker: null }, { minFaceSize: 10_000 });
    const result = await strict.analyzeImage(frame);
    expect(result.faces).toEqual([]);
    expect(result.ignored).toHaveLength(1);
    expect(result.ignored[0].reason).toMatch(/smaller than minFaceSize 10000/);
  });

  it('reads a CMYK JPEG', async (ctx) => {
    needFiles(ctx, CMYK_JPEG, SEED_MODEL, DLIB_68_PATH);
    const files = readdirSync(CMYK_JPEG).map((f) => join(CMYK_JPEG, f));
    const cmyk = [];
    for (const f of files) if (jpegComponents(readFileSync(f)) === 4) cmyk.push(f);
    expect(cmyk.length).toBeGreaterThan(0);
    const summary = await analyzeMedia(engine, cmyk[0]);
    expect(summary.kind).toBe('image');
    expect(summary.tracks.length).toBeGreaterThanOrEqual(1);
    expect(summary.tracks[0].verdict).not.toBe('undecided');
  });

  it('names the bad input: undecodable video, missing file, wrong frame', async (ctx) => {
    needFiles(ctx, SEED_MODEL, DLIB_68_PATH);
    const junk = join(tmp, 'junk.mp4');
    writeFileSync(junk, Buffer.alloc(4096, 1));
    await expect(analyzeMedia(engine, junk)).rejects.toThrow(/cannot decode video .*junk\.mp4/);
    await expect(analyzeMedia(engine, join(tmp, 'none.mp4'))).rejects.toThrow(/none\.mp4: no such file/);
    await expect(analyzeMedia(engine, join(tmp, 'none.jpg'))).rejects.toThrow(
      /cannot read image .*none\.jpg/,
    );
    await expect(engine.analyzeImage({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(
      InvalidInputError,
    );
    const out = join(tmp, 'same.mp4');
    writeFileSync(out, Buffer.alloc(10));
    await expect(analyzeMedia(engine, out, { output: out })).rejects.toThrow(/is the input video/);
  });
});

describe('WorkerFaceDetector', () => {
  it('finds what the in-thread detector finds, and passes its errors on by type', async (ctx) => {
    needFiles(ctx, REAL);
    const frames = await firstFrames(REAL, 3);
    const inline = await createFaceDetector();
    const worker = await WorkerFaceDetector.create();
    try {
      expect(worker.name).toBe(inline.name);
      const both = await Promise.all(frames.map((f) => worker.detect(f.frame)));
      for (const [i, f] of frames.entries()) expect(both[i]).toEqual(await inline.detect(f.frame));
      await expect(worker.detect({ data: new Uint8Array(3), width: 2, height: 2 })).rejects.toThrow(
        InvalidInputError,
      );
    } finally {
      await inline.close();
      await worker.close();
    }
    await expect(worker.detect(frames[0].frame)).rejects.toThrow(/closed/);
    await expect(
      WorkerFaceDetector.create({ detector: 'res10', storeDir: join(tmp, 'no-store') }),
    ).rejects.toThrow(ModelNotFoundError);
  });
});

describe('a fresh machine: nothing installed in the model store', () => {
  it('runs the whole engine on the shipped BlazeFace and LivenessNet, with no res10', async (ctx) => {
    needFiles(ctx, NUAA_FRAME, DLIB_68_PATH);
    const store = new ModelStore(join(tmp, 'fresh-store'));
    const engine = await createLivenessEngine({ store });
    try {
      const frame = await readImage(join(NUAA_FRAME, readdirSync(NUAA_FRAME)[0]));
      const result = await engine.analyzeImage(frame);
      expect(result.faces).toHaveLength(1);
      expect(result.faces[0].score).toBeGreaterThanOrEqual(0);
      expect(result.faces[0].landmarks).toHaveLength(68);
    } finally {
      await engine.close();
    }
    // BlazeFace ships converted with the face-detector package: nothing was installed.
    const installed = (await store.list()).map((e) => e.name);
    expect(installed).not.toContain('res10-ssd');
    expect(installed).not.toContain('blazeface-short');
  });
});

describe('createLivenessEngine errors', () => {
  it('says which model is missing and how to get it', async () => {
    const store = new ModelStore(join(tmp, 'empty-store'));
    const error = await createLivenessEngine({ store, detectorKind: 'res10' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toMatch(/res10.*models install res10/);
    await expect(createLivenessEngine({ store, classifierModel: join(tmp, 'nope') })).rejects.toThrow(
      /model file not found: .*nope/,
    );
  });

  it('rejects bad options by name', async (ctx) => {
    needFiles(ctx, SEED_MODEL);
    await expect(
      createLivenessEngine({ classifierModel: SEED_MODEL, landmarkModel: join(tmp, 'no.dat') }),
    ).rejects.toThrow(/no\.dat/);
    await expect(
      createLivenessEngine({ classifierModel: SEED_MODEL, minDetectionConfidence: 2 }),
    ).rejects.toThrow(/minDetectionConfidence must be in \[0, 1\]/);
    const engine = await createLivenessEngine({ classifierModel: SEED_MODEL, landmarker: null });
    try {
      expect(() => engine.createSession({ detectEvery: 0 })).toThrow(
        /detectEvery must be a positive integer/,
      );
      expect(() => engine.createSession({ policy: 'x' as never })).toThrow(/unknown policy 'x'/);
    } finally {
      await engine.close();
    }
  });
});
