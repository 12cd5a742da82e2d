import { readVideo } from '@face-liveness/core';
import { DLIB_68_PATH, missing, sharedPath } from '@face-liveness/core/testing';
import { createLivenessEngine } from '@face-liveness/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceDetector, type SelectedFaceDetector } from '../src/select.js';
import { convertTfToTemp, TF_PB, TF_PBTXT } from './res10-files.js';

const PORTRAIT = sharedPath('data', 'replay-one-subject', 'videos', 'real.mp4');
const absent = missing(TF_PB, TF_PBTXT, PORTRAIT, DLIB_68_PATH);

// The issue's symptom end to end: stretched, res10's neck box became a second live person for
// the whole clip (bench/portrait-clip.mjs: tracks of 614 and 602 frames).
describe.skipIf(absent !== undefined)(
  `the portrait clip through a session, res10 letterboxed ${absent ?? ''}`,
  () => {
    let model: Awaited<ReturnType<typeof convertTfToTemp>>;
    let detector: SelectedFaceDetector;
    beforeAll(async () => {
      model = await convertTfToTemp();
      detector = await createFaceDetector({ detector: 'res10', model: model.path });
    });
    afterAll(async () => {
      await detector?.close();
      await model?.cleanup();
    });

    it('is one person: one track over the whole clip, never two faces in a frame', async () => {
      const engine = await createLivenessEngine({ detector });
      const frames = new Map<number, number>();
      let most = 0;
      let count = 0;
      try {
        for await (const result of engine.createSession().stream(await readVideo(PORTRAIT))) {
          count++;
          most = Math.max(most, result.faces.length);
          for (const face of result.faces) frames.set(face.trackId, (frames.get(face.trackId) ?? 0) + 1);
        }
      } finally {
        await engine.close();
      }
      expect(most).toBe(1);
      expect(frames.size, `tracks ${[...frames.entries()]}`).toBe(1);
      expect([...frames.values()][0]).toBeGreaterThan(0.95 * count);
    });
  },
);
