import { iou, readImage } from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector } from '../src/face-detector.js';
import { decodeDetections, type RawDetection } from '../src/res10/decode.js';
import { res10Input } from '../src/res10/preprocess.js';
import { makePriors } from '../src/res10/priors.js';
import { RES10_DETECTION, RES10_PRIORS } from '../src/res10/spec.js';
import {
  convertTfToTemp,
  FIXTURES_300,
  FIXTURES_FULL,
  readFixtures,
  TF_PB,
  TF_PBTXT,
} from './res10-files.js';

const absent = missing(TF_PB, TF_PBTXT, FIXTURES_300, FIXTURES_FULL);

describe.skipIf(absent !== undefined)(
  `res10 converted from TensorFlow vs OpenCV 4.6 DNN ${absent ?? ''}`,
  () => {
    let model: Awaited<ReturnType<typeof convertTfToTemp>>;
    let session: ort.InferenceSession;
    const priors = makePriors(RES10_PRIORS, 300);

    beforeAll(async () => {
      model = await convertTfToTemp();
      session = await ort.InferenceSession.create(model.bytes, { intraOpNumThreads: 2 });
    });
    afterAll(async () => {
      await session?.release();
      await model?.cleanup();
    });

    /** Every row of OpenCV's detection_out (threshold 0.01), normalised and unclipped. */
    async function rawDetections(image: string): Promise<RawDetection[]> {
      const frame = await readImage(sharedPath(image));
      const out = await session.run({ data: new ort.Tensor('float32', res10Input(frame), [1, 3, 300, 300]) });
      return decodeDetections(
        out.loc.data as Float32Array,
        out.conf.data as Float32Array,
        priors.boxes,
        priors.variances,
        RES10_DETECTION,
      );
    }

    it('reproduces every OpenCV row with score >= 0.1 on the 300x300 inputs within 0.002', async () => {
      const rows = readFixtures(FIXTURES_300);
      expect(rows.length).toBeGreaterThan(50);
      let compared = 0;
      for (const row of rows) {
        const ours = await rawDetections(row.image);
        for (const [score, ...box] of row.detections.filter((d) => d[0] >= 0.1)) {
          const errors = ours.map((d) =>
            Math.max(Math.abs(d.score - score), ...d.box.map((v, i) => Math.abs(v - box[i]))),
          );
          const best = Math.min(...errors);
          expect(best, `${row.image}: OpenCV row ${[score, ...box]} not reproduced`).toBeLessThanOrEqual(
            0.002,
          );
          compared++;
        }
        // Nothing of ours clearly above 0.1 that OpenCV lacks.
        for (const d of ours.filter((o) => o.score >= 0.102)) {
          const match = row.detections.some(
            (r) =>
              Math.max(Math.abs(r[0] - d.score), ...d.box.map((v, i) => Math.abs(v - r[i + 1]))) <= 0.002,
          );
          expect(match, `${row.image}: extra detection ${d.score} [${d.box}]`).toBe(true);
        }
      }
      expect(compared).toBeGreaterThan(rows.length);
    });

    it('matches OpenCV on full-size images: every detection >= 0.5 with IoU >= 0.9, no extra >= 0.5', async () => {
      const rows = readFixtures(FIXTURES_FULL);
      expect(rows.length).toBeGreaterThan(200);
      const detector = await FaceDetector.create({
        model: model.path,
        confidence: 0.5,
        threads: 2,
        // OpenCV's input and all its output, ghosts past the frame's edge included.
        resize: 'stretch',
        minVisible: 0,
      });
      let matched = 0;
      try {
        // Decode the next image while the detector runs on this one.
        let next = readImage(sharedPath(rows[0].image));
        for (const [i, row] of rows.entries()) {
          const frame = await next;
          if (i + 1 < rows.length) next = readImage(sharedPath(rows[i + 1].image));
          expect([frame.width, frame.height]).toEqual([row.width, row.height]);
          const faces = await detector.detect(frame);
          const clip = (v: number, max: number) => Math.min(Math.max(v, 0), max);
          const theirs = row.detections
            .filter((d) => d[0] >= 0.5)
            .map(([score, x1, y1, x2, y2]) => ({
              score,
              box: [
                clip(x1 * row.width, row.width),
                clip(y1 * row.height, row.height),
                clip(x2 * row.width, row.width),
                clip(y2 * row.height, row.height),
              ],
            }))
            .filter((d) => d.box[2] > d.box[0] && d.box[3] > d.box[1]);
          for (const t of theirs) {
            const best = Math.max(0, ...faces.map((f) => iou(f.box, t.box)));
            expect(best, `${row.image}: OpenCV face ${t.score} [${t.box}] unmatched`).toBeGreaterThanOrEqual(
              0.9,
            );
            matched++;
          }
          for (const f of faces) {
            const best = Math.max(0, ...theirs.map((t) => iou(f.box, t.box)));
            expect(best, `${row.image}: extra face ${f.score} [${f.box}]`).toBeGreaterThanOrEqual(0.9);
          }
        }
      } finally {
        await detector.close();
      }
      expect(matched).toBeGreaterThan(150);
    });
  },
);
