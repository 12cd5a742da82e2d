import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Box, ModelStore, readImage, sha256File } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { BUNDLED_MODEL_DIR, cropFace, LivenessClassifier } from '@face-liveness/livenessnet';
import { MiniFasNetClassifier } from '@face-liveness/minifasnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENSEMBLE_THRESHOLD, loadDefaultClassifier } from '../src/classifiers/default-classifier.js';
import { MeanEnsemble } from '../src/classifiers/mean-ensemble.js';
import { createLivenessEngine } from '../src/engine.js';
import { loadClassifiers } from '../src/load.js';

// Dev subject 0008 of experiments/split.json (the default's threshold was chosen on dev).
const LIVE = sharedPath('data/nuaa/real/0008/0008_00_00_02_0.jpg');
const PRINT = sharedPath('data/nuaa/fake/0008/0008_00_00_01_10.jpg');
const MINIFASNET = process.env.FACE_LIVENESS_MINIFASNET_DIR ?? '';
const dir = mkdtempSync(join(tmpdir(), 'default-classifier-'));
const store = new ModelStore(join(dir, 'store'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let ours: LivenessClassifier;
let peer: MiniFasNetClassifier;
let box: Box;
const ready = existsSync(LIVE) && existsSync(PRINT) && existsSync(MINIFASNET);
beforeAll(async () => {
  if (!ready) return;
  ours = await LivenessClassifier.load(BUNDLED_MODEL_DIR);
  peer = await MiniFasNetClassifier.load('minifasnet');
  const engine = await createLivenessEngine({ store, landmarker: null, detectorThread: false });
  [{ box }] = (await engine.detectFaces(await readImage(LIVE))).faces;
  await engine.close();
});
afterAll(() => Promise.all([ours?.close(), peer?.close()]));

describe('the default classifier', () => {
  it('is the bundled LivenessNet and MiniFASNet: the mean of their P(live) at its own threshold', async (ctx) => {
    needFiles(ctx, LIVE, PRINT, MINIFASNET);
    const { classifier, name, reason } = await loadDefaultClassifier({ store });
    try {
      expect(name).toBe('livenessnet+minifasnet');
      expect(reason).toMatch(/bundled LivenessNet and MiniFASNet/);
      expect(classifier).toBeInstanceOf(MeanEnsemble);
      expect(classifier.threshold).toBe(DEFAULT_ENSEMBLE_THRESHOLD);
      for (const path of [LIVE, PRINT]) {
        const frame = await readImage(path);
        const alone = [
          (await ours.classify(cropFace(frame, box, { margin: ours.cropMargin }))).score,
          (await peer.classifyFace(frame, box)).score,
        ];
        const { score } = await (classifier as MeanEnsemble).classifyFace(frame, box);
        expect(score).toBeCloseTo((alone[0] + alone[1]) / 2, 6);
        // a crop made with the ensemble's margin (MiniFASNet's 1.5): LivenessNet sees its 0.85 centre
        const wide = cropFace(frame, box, { margin: classifier.cropMargin ?? 0 });
        const [w, h] = [wide.width / 4, wide.height / 4];
        const centre = cropFace(wide, [1.5 * w, 1.5 * h, 2.5 * w, 2.5 * h], { margin: ours.cropMargin });
        const fromCrop = [(await ours.classify(centre)).score, (await peer.classify(wide)).score];
        expect((await classifier.classify(wide)).score).toBeCloseTo((fromCrop[0] + fromCrop[1]) / 2, 6);
      }
    } finally {
      await classifier.close();
    }
  });

  it('judges a dev live face live and a dev printed photo spoof, as the engine default', async (ctx) => {
    needFiles(ctx, LIVE, PRINT, MINIFASNET);
    const engine = await createLivenessEngine({ store, landmarker: null, detectorThread: false });
    try {
      expect(engine.info.classifier.name).toBe('livenessnet+minifasnet');
      expect(engine.threshold).toBe(DEFAULT_ENSEMBLE_THRESHOLD);
      const [live] = (await engine.analyzeImage(await readImage(LIVE))).faces;
      const [print] = (await engine.analyzeImage(await readImage(PRINT))).faces;
      expect([live.verdict, print.verdict]).toEqual(['live', 'spoof']);
    } finally {
      await engine.close();
    }
  });

  it('a forced cropMargin reaches both members', async (ctx) => {
    needFiles(ctx, LIVE, PRINT, MINIFASNET);
    const frame = await readImage(LIVE);
    const engine = await createLivenessEngine({
      store,
      landmarker: null,
      detectorThread: false,
      cropMargin: 0.3,
    });
    try {
      const crop = cropFace(frame, box, { margin: 0.3 });
      const expected = ((await ours.classify(crop)).score + (await peer.classify(crop)).score) / 2;
      expect(await engine.scoreFace(frame, box)).toBeCloseTo(expected, 6);
    } finally {
      await engine.close();
    }
  });

  it('falls back to the bundled LivenessNet alone, saying why, where MiniFASNet is missing', async (ctx) => {
    needFiles(ctx, LIVE, PRINT, MINIFASNET);
    const empty = mkdtempSync(join(dir, 'no-minifasnet-'));
    process.env.FACE_LIVENESS_MINIFASNET_DIR = empty;
    try {
      const { classifier, name, reason } = await loadDefaultClassifier({ store });
      expect(name).toBe('livenessnet');
      expect(reason).toMatch(/MiniFASNet is missing \(MiniFASNet model files not found in .*no-minifasnet-/);
      expect(classifier).toBeInstanceOf(LivenessClassifier);
      expect(classifier.threshold).toBe(ours.threshold);
      await classifier.close();
    } finally {
      process.env.FACE_LIVENESS_MINIFASNET_DIR = MINIFASNET;
    }
  });

  it('gives way to a livenessnet installed in the store; refuses to be one member of a list', async (ctx) => {
    needFiles(ctx, LIVE, PRINT, MINIFASNET);
    // installed as `face-liveness models import-keras --install` does: a model directory in the store
    const own = new ModelStore(join(dir, 'own'));
    cpSync(BUNDLED_MODEL_DIR, join(own.dir, 'livenessnet'), { recursive: true });
    await own.record({
      name: 'livenessnet',
      file: 'livenessnet',
      sha256: await sha256File(join(own.dir, 'livenessnet', 'model.json')),
      source: 'test',
      installedAt: new Date().toISOString(),
    });
    const { classifier, name, reason } = await loadDefaultClassifier({ store: own });
    expect(name).toBe('livenessnet');
    expect(reason).toMatch(/installed in the model store/);
    expect(classifier).toBeInstanceOf(LivenessClassifier);
    await classifier.close();
    await expect(loadClassifiers(['default', 'minifasnet'], { store })).rejects.toThrow(
      /'default' is an ensemble with its own threshold/,
    );
  });
});
