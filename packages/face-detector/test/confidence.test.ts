import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DetectedFace, type Frame, iou, readImage } from '@face-liveness/core';
import { missing } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceDetector, type DetectorName } from '../src/select.js';
import { convertTfToTemp, FACEAPI_IMAGES, TF_PB, TF_PBTXT } from './res10-files.js';

const THRESHOLDS = [0.2, 0.5, 0.9];
const absent = missing(FACEAPI_IMAGES);

describe.skipIf(absent !== undefined)(`the confidence option ${absent ?? ''}`, () => {
  let frames: { image: string; frame: Frame }[];
  beforeAll(async () => {
    const images = readdirSync(FACEAPI_IMAGES).filter((f) => f.endsWith('.jpg'));
    frames = await Promise.all(
      images.map(async (image) => ({ image, frame: await readImage(join(FACEAPI_IMAGES, image)) })),
    );
  });

  let res10: Awaited<ReturnType<typeof convertTfToTemp>> | undefined;
  afterAll(() => res10?.cleanup());

  /** Faces per image at each threshold. */
  async function detectAt(detector: DetectorName, model?: string): Promise<DetectedFace[][][]> {
    const found: DetectedFace[][][] = [];
    for (const confidence of THRESHOLDS) {
      const selected = await createFaceDetector({ detector, model, confidence });
      try {
        found.push(await Promise.all(frames.map(({ frame }) => selected.detect(frame))));
      } finally {
        await selected.close();
      }
    }
    return found;
  }

  function expectMonotone(
    found: DetectedFace[][][],
    sameFace: (a: DetectedFace, b: DetectedFace) => boolean,
  ) {
    THRESHOLDS.forEach((threshold, t) => {
      for (const faces of found[t]) for (const f of faces) expect(f.score).toBeGreaterThanOrEqual(threshold);
    });
    for (let high = 1; high < THRESHOLDS.length; high++) {
      for (let low = 0; low < high; low++) {
        frames.forEach(({ image }, i) => {
          for (const face of found[high][i]) {
            const kept = found[low][i].some((f) => sameFace(f, face));
            expect(
              kept,
              `${image}: face ${face.score} at ${THRESHOLDS[high]} lost at ${THRESHOLDS[low]}`,
            ).toBe(true);
          }
        });
      }
    }
    const total = (t: number) => found[t].reduce((n, faces) => n + faces.length, 0);
    expect(total(0)).toBeGreaterThan(total(THRESHOLDS.length - 1));
  }

  it('BlazeFace: faces score at least the threshold; a lower one keeps every face a higher one finds', async () => {
    // Weighted NMS averages a face's box with the lower-scored boxes a lower threshold lets in; the
    // face itself (its best score) stays.
    expectMonotone(await detectAt('blazeface'), (a, b) => a.score === b.score && iou(a.box, b.box) > 0.8);
  });

  it('res10: the same, and the faces a higher threshold finds are unchanged', async (ctx) => {
    const why = missing(TF_PB, TF_PBTXT);
    ctx.skip(why !== undefined, why);
    res10 = await convertTfToTemp();
    expectMonotone(
      await detectAt('res10', res10.path),
      (a, b) => a.score === b.score && a.box.every((v, i) => v === b.box[i]),
    );
  });
});
