import {
  type Box,
  type Frame,
  inverseRotation,
  ROTATIONS,
  rotateBox,
  rotateFrame,
} from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { LivenessEngine } from '../src/engine.js';
import type { SessionOptions } from '../src/session-options.js';
import type { FrameResult } from '../src/types.js';
import { scriptedClassifier, scriptedLandmarker } from './scripted.js';
import { drawUpright, uprightDetector } from './upright-scripted.js';

const SIZE = 240;
const ms = (i: number) => (i * 1000) / 30;
const boxAt = (i: number): Box => [60 + i, 50, 140 + i, 150];

function engine() {
  const detector = uprightDetector();
  const engine = new LivenessEngine(
    { detector, landmarker: scriptedLandmarker(), classifiers: [scriptedClassifier(0.5)] },
    { minFaceSize: 10 },
  );
  return { engine, detector };
}

async function run(engine: LivenessEngine, frames: Frame[], options: SessionOptions = {}) {
  const session = engine.createSession(options);
  const results: FrameResult[] = [];
  for (const [i, frame] of frames.entries()) results.push(await session.push(frame, ms(i)));
  return { session, results };
}

describe('a session finds the orientation of its stream', () => {
  for (const turn of ROTATIONS) {
    it(`a stream turned by ${turn} degrees: one track, boxes in the turned frame, 3 extra detections`, async () => {
      const { engine: e, detector } = engine();
      const frames = Array.from({ length: 40 }, (_, i) =>
        rotateFrame(drawUpright(SIZE, boxAt(i), 0.9), turn),
      );
      const { session, results } = await run(e, frames);
      expect(results.map((r) => r.rotation)).toEqual(frames.map(() => inverseRotation(turn)));
      for (const [i, r] of results.entries()) {
        expect(r.faces.map((f) => f.trackId)).toEqual([1]);
        expect(r.faces[0].box).toEqual(rotateBox(boxAt(i), turn, SIZE, SIZE));
        expect(r.faces[0].detectionScore).toBe(0.95);
      }
      expect(session.verdict()).toBe('live');
      // The other rotations are tried on the first frame only (the next check is 2 s in).
      expect(detector.calls).toBe(40 + 3);
    });
  }

  it('keeps the frames as they are with orientation 0 (a face on its side is analysed on its side)', async () => {
    const { engine: e, detector } = engine();
    const frames = Array.from({ length: 10 }, (_, i) => rotateFrame(drawUpright(SIZE, boxAt(i), 0.9), 90));
    const { results } = await run(e, frames, { orientation: 0 });
    expect(results.every((r) => r.rotation === 0 && r.faces[0].detectionScore === 0.8)).toBe(true);
    expect(detector.calls).toBe(10);
  });

  it('follows a camera turned mid-stream at the next check, under the same track', async () => {
    const { engine: e } = engine();
    const frames = Array.from({ length: 90 }, (_, i) =>
      rotateFrame(drawUpright(SIZE, [70, 70, 170, 170], 0.9), i < 30 ? 0 : 90),
    );
    const { results } = await run(e, frames);
    // Frames 30-59 show the face on its side, still found at rotation 0; the check at 2 s turns.
    expect(results.map((r) => r.rotation)).toEqual(frames.map((_, i) => (i < 60 ? 0 : 270)));
    expect(results.every((r) => r.faces.length === 1 && r.faces[0].trackId === 1)).toBe(true);
  });

  it('looks for an upside-down face every 500 ms while none is found', async () => {
    const { engine: e, detector } = engine();
    const frames = Array.from({ length: 50 }, (_, i) =>
      i < 20 ? drawUpright(SIZE, [0, 0, 0, 0], 0) : rotateFrame(drawUpright(SIZE, boxAt(i), 0.9), 180),
    );
    const { results } = await run(e, frames);
    // Tries at frames 0, 15 (nothing) and 30 (the face, upside down).
    expect(results.findIndex((r) => r.faces.length > 0)).toBe(30);
    expect(results.slice(30).every((r) => r.rotation === 180 && r.faces[0].trackId === 1)).toBe(true);
    expect(detector.calls).toBe(50 + 3 * 3);
  });

  it('gives the same results through stream() as through push() when the rotation changes', async () => {
    const { engine: e } = engine();
    const frames = Array.from({ length: 20 }, (_, i) => rotateFrame(drawUpright(SIZE, boxAt(i), 0.9), 270));
    const pushed = (await run(e, frames)).results;
    const streamed: FrameResult[] = [];
    // Frame 1's detection starts (at rotation 0) before frame 0 finds the rotation: it is redone.
    for await (const r of e
      .createSession()
      .stream(frames.map((frame, i) => ({ frame, timestampMs: ms(i) })))) {
      streamed.push(r);
    }
    const strip = (r: FrameResult) => ({ ...r, elapsedMs: 0, timings: undefined });
    expect(streamed.map(strip)).toEqual(pushed.map(strip));
  });
});

describe('analyzeImage finds the orientation of an image', () => {
  it('turns a rotated image upright and reports the face in the image as given', async () => {
    const { engine: e } = engine();
    for (const turn of ROTATIONS) {
      const result = await e.analyzeImage(rotateFrame(drawUpright(SIZE, boxAt(0), 0.9), turn));
      expect(result.rotation).toBe(inverseRotation(turn));
      expect(result.faces.map((f) => f.box)).toEqual([rotateBox(boxAt(0), turn, SIZE, SIZE)]);
      expect(result.faces[0].verdict).toBe('live');
    }
    const fixed = await e.analyzeImage(rotateFrame(drawUpright(SIZE, boxAt(0), 0.9), 180), {
      orientation: 0,
    });
    expect(fixed.faces).toEqual([]);
    await expect(
      e.analyzeImage(drawUpright(SIZE, boxAt(0), 0.9), { orientation: 45 as never }),
    ).rejects.toThrow(/orientation must be 'auto', 0, 90, 180 or 270/);
  });
});
