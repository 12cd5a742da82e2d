import { type Box, type Frame, InvalidInputError, ModelFormatError } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { LivenessEngine } from '../src/engine.js';
import type { FrameResult } from '../src/types.js';
import { scene, scriptedClassifier, scriptedDetector, scriptedLandmarker } from './scripted.js';

const DEGENERATE = 'the keypoints are degenerate (all at one point, or mirrored)';
const face = (x: number): { box: Box; live: number } => ({ box: [x, 100, x + 80, 180], live: 0.9 });

/** Scripted components whose stages throw `error` on the frames in `bad`. */
function failing(
  count: number,
  bad: Partial<Record<'detect' | 'landmarks' | 'classify', number[]>>,
  error: () => Error,
) {
  const { frames, script } = scene(count, (i) => [face(40 + i)]);
  const at = (stage: keyof typeof bad, frame: Frame) => bad[stage]?.includes(frames.indexOf(frame));
  const detector = scriptedDetector(script);
  const landmarker = scriptedLandmarker();
  const classifier = scriptedClassifier(0.5);
  const engine = new LivenessEngine(
    {
      detector: {
        detect: (frame) => (at('detect', frame) ? Promise.reject(error()) : detector.detect(frame)),
        close: detector.close,
      },
      landmarker: {
        predict: (frame, box) => {
          if (at('landmarks', frame)) throw error();
          return landmarker.predict(frame, box);
        },
        close: landmarker.close,
      },
      classifiers: [
        {
          ...classifier,
          classify: (crop) => {
            // The crop is a new frame: the scripted classifier's call count says which frame it is.
            if (bad.classify?.includes(classifier.calls)) {
              classifier.calls++;
              throw error();
            }
            return classifier.classify(crop);
          },
        },
      ],
    },
    { minFaceSize: 10 },
  );
  return { engine, frames };
}

async function pushAll(engine: LivenessEngine, frames: Frame[]) {
  // Upright frames only: the other rotations' detections would shift the failing calls.
  const session = engine.createSession({ orientation: 0, policy: 'passive' });
  const results: FrameResult[] = [];
  for (const [i, frame] of frames.entries()) results.push(await session.push(frame, (i * 1000) / 30));
  return { session, results };
}

describe('a stage that fails on a frame skips it and the stream goes on', () => {
  it('landmarks: the face is left out of that frame, its track goes on', async () => {
    const { engine, frames } = failing(
      20,
      { landmarks: [5, 6, 12] },
      () => new InvalidInputError(DEGENERATE),
    );
    const { session, results } = await pushAll(engine, frames);
    for (const [i, r] of results.entries()) {
      const bad = [5, 6, 12].includes(i);
      expect(r.faces.map((f) => f.trackId)).toEqual(bad ? [] : [1]);
      expect(r.skipped).toEqual(bad ? [{ trackId: 1, stage: 'landmarks', reason: DEGENERATE }] : []);
    }
    expect(results[19].faces[0].evidence.frames).toBe(17);
    expect(session.tracks()).toHaveLength(1);
    expect(session.skipped()).toEqual({ frames: 3, reasons: { [`landmarks: ${DEGENERATE}`]: 3 } });
    expect(session.verdict()).toBe('live');
  });

  it('classify and detect: counted per reason, numbers left out; a failed detection carries the tracked faces', async () => {
    const outside = (n: number) =>
      new InvalidInputError(`crop box [${n}, 0, 1, 1] lies outside the 320x320 frame`);
    let n = 0;
    const { engine, frames } = failing(10, { detect: [3], classify: [7, 8] }, () => outside(n++));
    const { session, results } = await pushAll(engine, frames);
    expect(results[3].skipped).toEqual([{ stage: 'detect', reason: expect.stringMatching(/crop box \[0,/) }]);
    expect(results[3].faces.map((f) => [f.trackId, f.detected])).toEqual([[1, false]]);
    // The classifier's calls 7 and 8 are frames 7 and 8 (frame 3's carried face was classified too).
    expect(results.map((r) => r.faces.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 1]);
    expect(results[8].skipped).toEqual([
      { trackId: 1, stage: 'classify', reason: expect.stringMatching(/\[2,/) },
    ]);
    expect(session.skipped()).toEqual({
      frames: 3,
      reasons: {
        'detect: crop box [#, #, #, #] lies outside the #x# frame': 1,
        'classify: crop box [#, #, #, #] lies outside the #x# frame': 2,
      },
    });
  });

  it('analyzeImage leaves the face out and lists it', async () => {
    const { engine, frames } = failing(1, { landmarks: [0] }, () => new InvalidInputError(DEGENERATE));
    const result = await engine.analyzeImage(frames[0], { orientation: 0 });
    expect(result.faces).toEqual([]);
    expect(result.skipped).toEqual([{ trackId: 1, stage: 'landmarks', reason: DEGENERATE }]);
  });

  it('programming errors, model errors and a closed engine still stop the stream', async () => {
    for (const error of [() => new TypeError('x is undefined'), () => new ModelFormatError('broken model')]) {
      const { engine, frames } = failing(4, { landmarks: [2] }, error);
      await expect(pushAll(engine, frames)).rejects.toThrow(error().message);
    }
    // The engine closed while a stage ran: its failure is not the frame's.
    let closing: LivenessEngine | undefined;
    const { engine, frames } = failing(4, { landmarks: [2] }, () => {
      void closing?.close();
      return new InvalidInputError('no frame');
    });
    closing = engine;
    await expect(pushAll(engine, frames)).rejects.toThrow(/the liveness engine is closed/);
  });
});
