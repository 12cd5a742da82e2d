import { readFileSync } from 'node:fs';
import { readVideo } from '@face-liveness/core';
import { DLIB_68_PATH, missing, sharedPath } from '@face-liveness/core/testing';
import { createFaceDetector, type SelectedFaceDetector } from '@face-liveness/face-detector';
import { convertTensorflow } from '@face-liveness/face-detector/convert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivenessEngine } from '../src/engine.js';

const PORTRAIT = sharedPath('data', 'replay-one-subject', 'videos', 'real.mp4');
const TF_PB = sharedPath('models', 'res10-tensorflow', 'opencv_face_detector_uint8.pb');
const TF_PBTXT = sharedPath('models', 'res10-tensorflow', 'opencv_face_detector.pbtxt');
const absent = missing(TF_PB, TF_PBTXT, PORTRAIT, DLIB_68_PATH);

// The issue's symptom end to end: stretched, res10's neck box became a second live person for
// the whole clip (face-detector's bench/portrait-clip.mjs: tracks of 614 and 602 frames).
describe.skipIf(absent !== undefined)(
  `the portrait clip through a session, res10 letterboxed ${absent ?? ''}`,
  () => {
    let detector: SelectedFaceDetector;
    beforeAll(async () => {
      const model = convertTensorflow({ pb: readFileSync(TF_PB), pbtxt: readFileSync(TF_PBTXT, 'utf8') });
      detector = await createFaceDetector({ detector: 'res10', model });
    });
    afterAll(async () => {
      await detector?.close();
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
