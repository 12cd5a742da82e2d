import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, InvalidInputError, ModelStore, readImage } from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreateFaceDetectorOptions, createFaceDetector } from '../src/select.js';
import { convertTfToTemp, FACEAPI_IMAGES, TF_PB, TF_PBTXT } from './res10-files.js';

/**
 * Faces present (counted by eye) and the faces each setting found when the letterbox and range
 * 'auto' were introduced (`bench/group-photos.mjs`): regression floors.
 */
const PHOTOS = [
  // image, present, res10 letterbox, BlazeFace auto, BlazeFace short
  [join(FACEAPI_IMAGES, 'bbt1.jpg'), 4, 4, 4, 0],
  [join(FACEAPI_IMAGES, 'bbt2.jpg'), 4, 3, 3, 2],
  [join(FACEAPI_IMAGES, 'bbt3.jpg'), 5, 5, 5, 3],
  [join(FACEAPI_IMAGES, 'bbt4.jpg'), 6, 6, 6, 6],
  [join(FACEAPI_IMAGES, 'bbt5.jpg'), 5, 5, 5, 2],
  [sharedPath('data', 'faceapi-testdata', 'test', 'images', 'faces.jpg'), 6, 6, 6, 6],
  [sharedPath('data', 'dlib-faces', 'bald_guys.jpg'), 24, 23, 18, 2],
] as const;
const absent = missing(...PHOTOS.map((p) => p[0]));

describe.skipIf(absent !== undefined)(`faces found in group photos ${absent ?? ''}`, () => {
  let frames: Frame[];
  beforeAll(async () => {
    frames = await Promise.all(PHOTOS.map(([path]) => readImage(path)));
  });

  async function counts(options: CreateFaceDetectorOptions): Promise<number[]> {
    const detector = await createFaceDetector(options);
    try {
      const found: number[] = [];
      for (const frame of frames) found.push((await detector.detect(frame)).length);
      return found;
    } finally {
      await detector.close();
    }
  }

  it('BlazeFace range auto finds what full range finds, short range alone far fewer', async () => {
    const auto = await counts({ detector: 'blazeface', range: 'auto' });
    const short = await counts({ detector: 'blazeface', range: 'short' });
    PHOTOS.forEach(([path, present, , floor, shortFloor], i) => {
      expect(auto[i], path).toBeGreaterThanOrEqual(floor);
      expect(auto[i], path).toBeLessThanOrEqual(present);
      expect(short[i], path).toBeGreaterThanOrEqual(shortFloor);
    });
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    expect(sum(auto)).toBeGreaterThanOrEqual(2 * sum(short));
  });

  describe.skipIf(missing(TF_PB, TF_PBTXT) !== undefined)('res10', () => {
    let model: Awaited<ReturnType<typeof convertTfToTemp>>;
    beforeAll(async () => {
      model = await convertTfToTemp();
    });
    afterAll(() => model?.cleanup());

    it('letterboxed finds as many faces as before, and no more than are present', async () => {
      const found = await counts({ detector: 'res10', model: model.path });
      PHOTOS.forEach(([path, present, floor], i) => {
        expect(found[i], path).toBeGreaterThanOrEqual(floor);
        expect(found[i], path).toBeLessThanOrEqual(present);
      });
    });
  });
});

describe('BlazeFace range auto', () => {
  const FACE = join(FACEAPI_IMAGES, 'angry.jpg');

  it('runs short range only on a frame with a near face', async (ctx) => {
    const why = missing(FACE);
    ctx.skip(why !== undefined, why);
    const frame = await readImage(FACE);
    const [auto, short] = await Promise.all([
      // An empty store: 'auto' falls back to BlazeFace and says why.
      createFaceDetector({
        range: 'auto',
        store: new ModelStore(mkdtempSync(join(tmpdir(), 'auto-range-'))),
      }),
      createFaceDetector({ detector: 'blazeface', range: 'short' }),
    ]);
    try {
      expect(auto.modelName).toBe('blazeface-short+blazeface-full');
      expect(auto.reason).toMatch(/full range on frames without a near face/);
      const faces = await auto.detect(frame);
      expect(faces).toHaveLength(1);
      expect(faces).toEqual(await short.detect(frame));
    } finally {
      await Promise.all([auto.close(), short.close()]);
    }
  });

  it('names a bad range, and refuses a model file with range auto', async () => {
    await expect(createFaceDetector({ detector: 'blazeface', range: 'far' as 'full' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(createFaceDetector({ range: 'far' as 'full' })).rejects.toThrow(/range must be/);
    await expect(
      createFaceDetector({ detector: 'blazeface', range: 'auto', model: 'x.onnx' }),
    ).rejects.toThrow(/range 'auto'/);
  });
});
