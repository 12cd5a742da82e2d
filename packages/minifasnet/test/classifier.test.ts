import { cropFrame, readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniFasNetClassifier } from '../src/classifier.js';
import { MINIFASNET_NAMES } from '../src/models.js';

// res10 boxes and MiniFASNet P(live) of three validation frames (held out from every threshold), from
// packages/livenessnet/experiments/results/peers-validation.jsonl: an independent implementation of
// NOTES.txt's recipe (experiments/lib/peer-crops.mjs, raw ONNX Runtime).
const REFERENCE = [
  {
    image: 'data/nuaa/real/0003/0003_01_00_01_0.jpg',
    box: [246, 65.5, 447.7, 322.4],
    'minifasnet-v2': 0.991999,
    'minifasnet-v1se': 0.992526,
    minifasnet: 0.992262,
  },
  {
    image: 'data/nuaa/fake/0003/0003_01_00_01_109.jpg',
    box: [273.9, 92.8, 409.8, 261],
    'minifasnet-v2': 9e-6,
    'minifasnet-v1se': 3e-6,
    minifasnet: 6e-6,
  },
  {
    image: 'data/msu-mfsd-train/fake/attack_client012_android_SD_ipad_video_scene01.jpg',
    box: [282.6, 102.7, 491.9, 373],
    'minifasnet-v2': 0.432764,
    'minifasnet-v1se': 0.03828,
    minifasnet: 0.235522,
  },
] as const;
const SHARED_MODELS = sharedPath('models/peers/minifasnet');

describe('MiniFasNetClassifier on real frames', () => {
  const classifiers = new Map<string, MiniFasNetClassifier>();
  beforeAll(async () => {
    for (const name of MINIFASNET_NAMES) classifiers.set(name, await MiniFasNetClassifier.load(name));
  });
  afterAll(async () => {
    for (const c of classifiers.values()) await c.close();
  });

  it.for(MINIFASNET_NAMES)('%s: its dev threshold and crop margin come with it', (name) => {
    const c = classifiers.get(name) as MiniFasNetClassifier;
    expect(c.threshold).toBeGreaterThan(0);
    expect(c.threshold).not.toBe(0.5);
    expect(c.model.thresholdFrom).toMatch(/dev/);
    expect(c.cropMargin).toBeCloseTo(name === 'minifasnet-v2' ? 0.85 : 1.5, 10);
  });

  it.for(MINIFASNET_NAMES)('%s: equals the reference preprocessing to 1e-5', async (name, ctx) => {
    needFiles(ctx, ...REFERENCE.map((r) => sharedPath(r.image)));
    const c = classifiers.get(name) as MiniFasNetClassifier;
    for (const r of REFERENCE) {
      const { score, probabilities } = await c.classifyFace(await readImage(sharedPath(r.image)), [...r.box]);
      expect(score).toBeCloseTo(r[name], 5);
      expect(probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    }
  });

  it.for(MINIFASNET_NAMES)(
    '%s: a held-out live NUAA face is live, a printed photo is not',
    async (name, ctx) => {
      needFiles(ctx, sharedPath(REFERENCE[0].image), sharedPath(REFERENCE[1].image));
      const c = classifiers.get(name) as MiniFasNetClassifier;
      const [live, print] = REFERENCE;
      expect(
        (await c.classifyFace(await readImage(sharedPath(live.image)), [...live.box])).score,
      ).toBeGreaterThan(c.threshold);
      expect(
        (await c.classifyFace(await readImage(sharedPath(print.image)), [...print.box])).score,
      ).toBeLessThan(c.threshold);
    },
  );

  it('classify(crop) frames a crop made with its cropMargin like classifyFace frames the face', async (ctx) => {
    needFiles(ctx, sharedPath(REFERENCE[0].image));
    const c = classifiers.get('minifasnet') as MiniFasNetClassifier;
    const frame = await readImage(sharedPath(REFERENCE[0].image));
    const [x1, y1, x2, y2] = [300, 200, 340, 250];
    const [mx, my] = [(x2 - x1) * c.cropMargin, (y2 - y1) * c.cropMargin];
    const crop = cropFrame(frame, [x1 - mx, y1 - my, x2 + mx, y2 + my]);
    const whole = (await c.classifyFace(frame, [x1, y1, x2, y2])).score;
    expect((await c.classify(crop)).score).toBeCloseTo(whole, 1);
  });

  it('loads a directory of Silent-Face models as the fused classifier, at its argmax threshold', async (ctx) => {
    needFiles(ctx, SHARED_MODELS, sharedPath(REFERENCE[2].image));
    const fromDir = await MiniFasNetClassifier.load(SHARED_MODELS);
    try {
      expect(fromDir.threshold).toBe(0.5);
      expect(fromDir.model.members.map((m) => m.scale)).toEqual([2.7, 4]);
      const r = REFERENCE[2];
      expect(
        (await fromDir.classifyFace(await readImage(sharedPath(r.image)), [...r.box])).score,
      ).toBeCloseTo(r.minifasnet, 5);
    } finally {
      await fromDir.close();
    }
  });
});

describe('MiniFasNetClassifier.load', () => {
  it('rejects an unknown name, a foreign file name and a bad threshold', async () => {
    await expect(MiniFasNetClassifier.load('minifasnet-v3')).rejects.toMatchObject({
      code: 'ERR_MODEL_NOT_FOUND',
    });
    await expect(MiniFasNetClassifier.load(new URL(import.meta.url).pathname)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
    await expect(MiniFasNetClassifier.load('minifasnet', { threshold: 2 })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
  });

  it('closes once; a closed classifier refuses to classify', async () => {
    const c = await MiniFasNetClassifier.load('minifasnet-v2', { threshold: 0.9 });
    expect(c.threshold).toBe(0.9);
    await c.close();
    await c.close();
    await expect(
      c.classifyFace({ data: new Uint8Array(3 * 100 * 100), width: 100, height: 100 }, [10, 10, 50, 50]),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
  });
});
