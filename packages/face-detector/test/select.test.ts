import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, ModelNotFoundError, ModelStore, readImage } from '@face-liveness/core';
import { needFiles } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blazeFaceTflitePath } from '../src/convert/index.js';
import { RES10_MODEL_NAME } from '../src/face-detector.js';
import { createFaceDetector, DETECTOR_NAMES } from '../src/select.js';
import { convertTfToTemp, FACEAPI_IMAGES, TF_PB, TF_PBTXT } from './res10-files.js';

describe('createFaceDetector', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'select-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses BlazeFace when res10 is not installed, and says so', async (ctx) => {
    needFiles(ctx, FACEAPI_IMAGES);
    const store = new ModelStore(join(dir, 'empty'));
    const detector = await createFaceDetector({ store });
    try {
      expect(detector.name).toBe('blazeface');
      expect(detector.modelName).toBe('blazeface-short');
      expect(detector.reason).toMatch(
        /^res10 is not installed in .*; BlazeFace short-range .* ships with the package$/,
      );
      const faces = await detector.detect(await readImage(join(FACEAPI_IMAGES, 'angry.jpg')));
      expect(faces).toHaveLength(1);
      expect(await store.list()).toEqual([]);
    } finally {
      await detector.close();
    }
    await expect(createFaceDetector({ store, detector: 'res10' })).rejects.toThrow(ModelNotFoundError);
  });

  it('uses res10 once it is installed, or when given its file; BlazeFace for a .tflite', async (ctx) => {
    needFiles(ctx, TF_PB, TF_PBTXT);
    const res10 = await convertTfToTemp();
    try {
      const store = new ModelStore(join(dir, 'with-res10'));
      await store.installFile(RES10_MODEL_NAME, res10.path, 'test conversion');
      const auto = await createFaceDetector({ store });
      expect([auto.name, auto.modelName]).toEqual(['res10', 'res10-ssd']);
      expect(auto.reason).toMatch(/res10 is installed/);
      await auto.close();
      const forced = await createFaceDetector({ store, detector: 'blazeface', range: 'full' });
      expect([forced.name, forced.modelName]).toEqual(['blazeface', 'blazeface-full']);
      await forced.close();

      const empty = new ModelStore(join(dir, 'empty-2'));
      const byFile = await createFaceDetector({ store: empty, model: res10.path });
      expect(byFile.name).toBe('res10');
      await byFile.close();
      const byTflite = await createFaceDetector({ store: empty, model: blazeFaceTflitePath() });
      expect(byTflite.name).toBe('blazeface');
      expect(byTflite.reason).toBe('the model file is a blazeface model');
      await byTflite.close();
    } finally {
      await res10.cleanup();
    }
  });

  it('names the bad option', async () => {
    await expect(createFaceDetector({ detector: 'yolo' as 'auto' })).rejects.toThrow(
      "detector must be one of 'auto', 'res10', 'blazeface', got 'yolo'",
    );
    await expect(createFaceDetector({ model: join(dir, 'missing.onnx') })).rejects.toThrow(/missing\.onnx/);
    for (const detector of ['res10', 'blazeface'] as const) {
      await expect(createFaceDetector({ detector, confidence: 1.5 })).rejects.toThrow(InvalidInputError);
      await expect(createFaceDetector({ detector, confidence: -0.1 })).rejects.toThrow(
        'confidence must be a number in [0, 1], got -0.1',
      );
    }
  });

  it('lists the detector kinds, in the order auto prefers them', () => {
    expect(DETECTOR_NAMES).toEqual(['res10', 'blazeface']);
  });
});
