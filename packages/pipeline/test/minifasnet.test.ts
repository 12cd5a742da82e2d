import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassifierLike, type Frame, ModelStore, readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { cropFace, LivenessClassifier } from '@face-liveness/livenessnet';
import { MINIFASNET_NAMES, MiniFasNetClassifier } from '@face-liveness/minifasnet';
import { afterAll, describe, expect, it } from 'vitest';
import { createLivenessEngine, LivenessEngine } from '../src/engine.js';
import { loadClassifier } from '../src/load.js';

// Validation subject 0003 of experiments/split.json: held out from MiniFASNet's dev thresholds.
const LIVE = sharedPath('data/nuaa/real/0003/0003_01_00_01_0.jpg');
const PRINT = sharedPath('data/nuaa/fake/0003/0003_01_00_01_109.jpg');
// A fresh store: the engine loads BlazeFace (shipped) and the bundled LivenessNet, whatever is installed.
const storeDir = mkdtempSync(join(tmpdir(), 'minifasnet-engine-'));
const store = new ModelStore(storeDir);
afterAll(() => rmSync(storeDir, { recursive: true, force: true }));
const engineOptions = { store, landmarker: null, detectorThread: false } as const;

describe('MiniFASNet in the engine', () => {
  it.for(MINIFASNET_NAMES)('loadClassifier(%s) loads it with its dev threshold', async (name) => {
    const classifier = await loadClassifier(name, store);
    const direct = await MiniFasNetClassifier.load(name);
    try {
      expect(classifier).toBeInstanceOf(MiniFasNetClassifier);
      expect(classifier.threshold).toBe(direct.threshold);
    } finally {
      await Promise.all([classifier.close(), direct.close()]);
    }
  });

  it("classifierModel 'minifasnet': live face live, printed photo spoof, the score of classifyFace", async (ctx) => {
    needFiles(ctx, LIVE, PRINT);
    const engine = await createLivenessEngine({ ...engineOptions, classifierModel: 'minifasnet' });
    const reference = await MiniFasNetClassifier.load('minifasnet');
    try {
      expect(engine.threshold).toBe(reference.threshold);
      for (const [path, verdict] of [
        [LIVE, 'live'],
        [PRINT, 'spoof'],
      ] as const) {
        const frame = await readImage(path);
        const [face] = (await engine.analyzeImage(frame)).faces;
        expect(face.verdict).toBe(verdict);
        expect(face.score).toBe((await reference.classifyFace(frame, face.box)).score);
      }
    } finally {
      await Promise.all([engine.close(), reference.close()]);
    }
  });

  it("classifierModel ['livenessnet', 'minifasnet']: the mean of both, each with its own framing", async (ctx) => {
    needFiles(ctx, LIVE);
    const engine = await createLivenessEngine({
      ...engineOptions,
      classifierModel: ['livenessnet', 'minifasnet'],
    });
    try {
      const [ours, mini] = engine.components.classifiers as [LivenessClassifier, MiniFasNetClassifier];
      expect(ours).toBeInstanceOf(LivenessClassifier);
      expect(engine.threshold).toBeCloseTo((ours.threshold + mini.threshold) / 2, 12);
      const frame = await readImage(LIVE);
      const [face] = (await engine.analyzeImage(frame)).faces;
      const a = (await ours.classify(cropFace(frame, face.box, { margin: ours.cropMargin }))).score;
      const b = (await mini.classifyFace(frame, face.box)).score;
      expect(face.score).toBeCloseTo((a + b) / 2, 12);
      expect(face.verdict).toBe('live');
    } finally {
      await engine.close();
    }
  });

  it('a name that loads nothing fails the engine', async () => {
    await expect(
      createLivenessEngine({ ...engineOptions, classifierModel: ['minifasnet', join(storeDir, 'nope')] }),
    ).rejects.toThrow(/model file not found: .*nope/);
    await expect(createLivenessEngine({ ...engineOptions, classifierModel: [] })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
  });
});

describe('scoreFace and classifyFace', () => {
  const frame: Frame = { data: new Uint8Array(100 * 100 * 3), width: 100, height: 100 };
  const both: ClassifierLike = {
    classify: () => ({ score: 0.1 }),
    classifyFace: () => ({ score: 0.9 }),
    close: async () => {},
  };
  const detector = { detect: async () => [], close: async () => {} };

  it('prefers classifyFace to a crop, unless the engine forces a crop margin', async () => {
    const own = new LivenessEngine({ detector, landmarker: null, classifiers: [both] });
    const forced = new LivenessEngine(
      { detector, landmarker: null, classifiers: [both] },
      { cropMargin: 0.2 },
    );
    expect(await own.scoreFace(frame, [10, 10, 60, 60])).toBe(0.9);
    expect(await forced.scoreFace(frame, [10, 10, 60, 60])).toBe(0.1);
  });
});
