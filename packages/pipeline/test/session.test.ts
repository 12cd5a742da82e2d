import type { Box, Frame } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { LivenessEngine } from '../src/engine.js';
import type { SessionOptions } from '../src/session-options.js';
import type { FrameResult } from '../src/types.js';
import {
  scene,
  scriptedBlinks,
  scriptedClassifier,
  scriptedDetector,
  scriptedLandmarker,
} from './scripted.js';

const ms = (i: number) => (i * 1000) / 30;
const face = (x: number, live = 0.9, y = 100, size = 80): { box: Box; live: number } => ({
  box: [x, y, x + size, y + size],
  live,
});

function engineFor(script: Map<Frame, readonly { box: Box; live: number }[]>, landmarks = true) {
  const detector = scriptedDetector(script);
  const landmarker = scriptedLandmarker();
  const classifier = scriptedClassifier(0.5);
  const engine = new LivenessEngine(
    { detector, landmarker: landmarks ? landmarker : null, classifiers: [classifier] },
    { minFaceSize: 10 },
  );
  return { engine, detector, landmarker, classifier };
}

async function pushAll(engine: LivenessEngine, frames: Frame[], options: SessionOptions = {}) {
  const session = engine.createSession(options);
  const results: FrameResult[] = [];
  for (const [i, frame] of frames.entries()) results.push(await session.push(frame, ms(i)));
  return { session, results };
}

describe('session scheduling', () => {
  it('detects on every n-th frame and carries faces in between', async () => {
    const { frames, script } = scene(30, (i) => [face(40 + i)]);
    const { engine, detector } = engineFor(script);
    const { results } = await pushAll(engine, frames, { detectEvery: 3, classifyEvery: 2 });
    // 10 detections, and on the first frame the other three rotations (orientation 'auto').
    expect(detector.calls).toBe(10 + 3);
    expect(results.map((r) => r.faces[0].detected)).toEqual(frames.map((_, i) => i % 3 === 0));
    expect(results.every((r) => r.faces[0].trackId === 1)).toBe(true);
    expect(results[29].faces[0].evidence.classifiedFrames).toBe(15);
    expect(results.map((r) => r.faces[0].score !== undefined)).toEqual(frames.map((_, i) => i % 2 === 0));
  });

  it('gives the same results through stream() (one frame of lookahead) as through push()', async () => {
    const { frames, script } = scene(20, (i) => (i < 12 ? [face(40 + 2 * i)] : []));
    const { engine } = engineFor(script);
    const pushed = (await pushAll(engine, frames, { detectEvery: 2 })).results;
    const streamed: FrameResult[] = [];
    const session = engine.createSession({ detectEvery: 2 });
    for await (const r of session.stream(frames.map((frame, i) => ({ frame, timestampMs: ms(i) })))) {
      streamed.push(r);
    }
    const strip = (r: FrameResult) => ({ ...r, elapsedMs: 0, timings: undefined });
    expect(streamed.map(strip)).toEqual(pushed.map(strip));
  });

  it('refuses a second push before the first finished', async () => {
    const { frames, script } = scene(2, () => [face(40)]);
    const { engine } = engineFor(script);
    const session = engine.createSession();
    const first = session.push(frames[0]);
    await expect(session.push(frames[1])).rejects.toThrow(/await each push/);
    await first;
  });
});

describe('session tracking', () => {
  it('starts a track, ends it after maxAgeMs without the face, and starts a new one when it returns', async () => {
    // Present in frames 0-9, gone 10-49, back 50-59.
    const { frames, script } = scene(60, (i) => (i < 10 || i >= 50 ? [face(100)] : []));
    const { engine } = engineFor(script);
    const { session, results } = await pushAll(engine, frames, { maxAgeMs: 500 });
    expect(results[9].faces.map((f) => f.trackId)).toEqual([1]);
    expect(results[10].faces).toEqual([]);
    // Last seen at frame 9 (300 ms): expired at the first frame more than 500 ms later (frame 25).
    const endedAt = results.findIndex((r) => r.ended.length > 0);
    expect(endedAt).toBe(25);
    expect(results[endedAt].ended[0]).toMatchObject({ id: 1, frames: 10 });
    expect(results[50].faces.map((f) => f.trackId)).toEqual([2]);
    expect(session.tracks().map((t) => [t.id, t.frames])).toEqual([
      [1, 10],
      [2, 10],
    ]);
  });

  it('keeps two faces that cross on their own tracks', async () => {
    // Face A (live 0.9) moves right, face B (live 0.2) moves left; their boxes overlap as they cross (frame 20).
    const { frames, script } = scene(40, (i) => [face(20 + 5 * i, 0.9, 60), face(220 - 5 * i, 0.2, 120)]);
    const { engine } = engineFor(script);
    const { session, results } = await pushAll(engine, frames, { policy: 'passive' });
    for (const r of results) {
      const byId = new Map(r.faces.map((f) => [f.trackId, f.score]));
      expect(byId.get(1)).toBeCloseTo(0.9, 2);
      expect(byId.get(2)).toBeCloseTo(0.2, 2);
    }
    expect(session.tracks().map((t) => t.verdict)).toEqual(['live', 'spoof']);
    expect(session.verdict()).toBe('spoof'); // equal weight: spoof wins ties
  });
});

describe('session verdicts under each fusion policy', () => {
  const run = async (live: number, options: SessionOptions, seconds = 2) => {
    const { frames, script } = scene(seconds * 30, () => [face(100, live)]);
    const { engine } = engineFor(script);
    const { results } = await pushAll(engine, frames, options);
    return results.map((r) => r.faces[0].verdict);
  };

  it('passive: the classifier alone, after minFrames', async () => {
    const verdicts = await run(0.9, { policy: 'passive', minFrames: 5 });
    expect(verdicts.slice(0, 4)).toEqual(Array(4).fill('undecided'));
    expect(verdicts.slice(4).every((v) => v === 'live')).toBe(true);
    expect((await run(0.2, { policy: 'passive' })).at(-1)).toBe('spoof');
  });

  it('blink: live only once the face blinks', async () => {
    const verdicts = await run(0.9, { policy: 'blink', blinkDetector: scriptedBlinks([1000]) });
    expect(verdicts[20]).toBe('undecided');
    expect(verdicts[40]).toBe('live');
  });

  it('original: no verdict until more than 10 blinks', async () => {
    const blinks = Array.from({ length: 11 }, (_, k) => 100 * (k + 1));
    const verdicts = await run(0.9, { policy: 'original', blinkDetector: scriptedBlinks(blinks) });
    expect(verdicts[30]).toBe('undecided');
    expect(verdicts.at(-1)).toBe('live');
  });

  it('fused: a hesitant live score with no blink turns spoof after noBlinkTimeoutMs in view', async () => {
    const options = { policy: 'fused', noBlinkTimeoutMs: 1000, blinkDetector: scriptedBlinks([]) } as const;
    const verdicts = await run(0.6, options);
    expect(verdicts[20]).toBe('live');
    expect(verdicts.at(-1)).toBe('spoof');
    // A confident score is never vetoed; a blink keeps a hesitant one live.
    expect((await run(0.9, options)).at(-1)).toBe('live');
    expect((await run(0.6, { ...options, blinkDetector: scriptedBlinks([500]) })).at(-1)).toBe('live');
  });
});

describe('engine and sessions', () => {
  it('runs two sessions at once on one engine exactly as each alone', async () => {
    const a = scene(30, (i) => [face(30 + 3 * i, 0.8)]);
    const b = scene(30, (i) => (i % 10 < 7 ? [face(200 - 2 * i, 0.3, 60)] : []));
    const script = new Map([...a.script, ...b.script]);
    const { engine } = engineFor(script);
    const options: SessionOptions = { detectEvery: 2, maxAgeMs: 100 };
    const aloneA = (await pushAll(engine, a.frames, options)).results;
    const aloneB = (await pushAll(engine, b.frames, options)).results;
    const both = await Promise.all([pushAll(engine, a.frames, options), pushAll(engine, b.frames, options)]);
    const strip = (r: FrameResult) => ({ ...r, elapsedMs: 0, timings: undefined });
    expect(both[0].results.map(strip)).toEqual(aloneA.map(strip));
    expect(both[1].results.map(strip)).toEqual(aloneB.map(strip));
  });

  it('closes the models only with the engine, once; a session close leaves them alone', async () => {
    const { frames, script } = scene(3, () => [face(40)]);
    const { engine, detector, landmarker, classifier } = engineFor(script);
    const session = engine.createSession();
    await session.push(frames[0]);
    await session.close();
    await expect(session.push(frames[1])).rejects.toThrow(/session is closed/);
    expect([detector.closed, landmarker.closed, classifier.closed]).toEqual([0, 0, 0]);
    const other = engine.createSession();
    await other.push(frames[1]);
    await engine.close();
    await engine.close();
    expect([detector.closed, landmarker.closed, classifier.closed]).toEqual([1, 1, 1]);
    await expect(other.push(frames[2])).rejects.toThrow(/engine is closed/);
    expect(() => engine.createSession()).toThrow(/engine is closed/);
  });

  it('analyzes an image statelessly, concurrently', async () => {
    const { frames, script } = scene(4, (i) => [face(20 + 40 * i, 0.25 * i + 0.1)]);
    const { engine } = engineFor(script);
    const results = await Promise.all(frames.map((f) => engine.analyzeImage(f)));
    expect(results.map((r) => r.faces[0].score)).toEqual(
      frames.map((_, i) => Math.round((0.25 * i + 0.1) * 255) / 255),
    );
    expect(results.map((r) => r.faces[0].verdict)).toEqual(['spoof', 'spoof', 'live', 'live']);
  });
});
