import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clipBox, ModelStore, readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LivenessClassifier } from '../src/classifier.js';
import { cropFace } from '../src/crop.js';
import { BUNDLED_MODEL_DIR, resolveLivenessModel } from '../src/default-model.js';
import { padMetrics } from '../src/evaluate/pad-metrics.js';
import { loadLivenessModel } from '../src/io/load.js';
import { framesToTensor } from '../src/preprocess.js';

const MODEL = fileURLToPath(new URL('../models/default', import.meta.url));
const FIXTURE = sharedPath('fixtures/res10/opencv-full-size.jsonl');
const SPLIT = JSON.parse(readFileSync(new URL('../experiments/split.json', import.meta.url), 'utf8'));

let classifier: LivenessClassifier;
beforeAll(async () => {
  classifier = await LivenessClassifier.load(MODEL);
});
afterAll(() => classifier?.close());

describe('the committed default model', () => {
  it('is the documented LivenessNet: 32x32 RGB, dev-chosen threshold', () => {
    expect(classifier.metadata.architecture).toBe('livenessnet-v1');
    expect(classifier.metadata.inputSize).toEqual({ width: 32, height: 32 });
    expect(classifier.threshold).toBe(0.855579);
    expect(classifier.cropMargin).toBe(0.2);
    const card = readFileSync(new URL('../models/default/MODEL_CARD.md', import.meta.url), 'utf8');
    expect(card).toContain(`P(real) >= **${classifier.threshold}**`);
  });

  it('separates held-out NUAA subjects it never saw (OpenCV res10 boxes, margin 0.2), scoring as model.predict', async (ctx) => {
    needFiles(ctx, FIXTURE, sharedPath('data/nuaa'));
    const held = new Set<string>(SPLIT.sources.nuaa.validation);
    const rows = readFileSync(FIXTURE, 'utf8')
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { image: string; width: number; height: number; detections: number[][] },
      )
      .filter((r) => /data\/nuaa\/(real|fake)\//.test(r.image) && held.has(r.image.split('/')[3]));
    expect(rows.length).toBeGreaterThan(20);
    const samples = [];
    const crops = [];
    for (const row of rows) {
      const frame = await readImage(sharedPath(row.image));
      const [, x1, y1, x2, y2] = row.detections[0];
      const box = clipBox(
        [x1 * row.width, y1 * row.height, x2 * row.width, y2 * row.height],
        row.width,
        row.height,
      );
      const crop = cropFace(frame, box, { margin: 0.2 });
      crops.push(crop);
      const { score } = await classifier.classify(crop);
      samples.push({ image: row.image, label: row.image.includes('/real/') ? 'real' : 'fake', score });
    }
    const metrics = padMetrics(samples, classifier.threshold);
    // The card reports AUC 0.998 and ACER 0.9 % on all 656 validation frames; this is a 24-frame subset.
    expect(metrics.auc).toBeGreaterThan(0.95);
    expect(metrics.acer).toBeLessThan(0.15);

    // the classifier's forward pass, compiled from model.json without tfjs-layers, gives tfjs-layers'
    // model.predict numbers exactly, one crop or a batch
    expect(classifier.model).toBeUndefined();
    const { model } = await loadLivenessModel(MODEL);
    const reference = tf.tidy(() => model.predict(framesToTensor(crops, classifier.metadata)) as tf.Tensor);
    model.dispose();
    const expected = await reference.data();
    reference.dispose();
    expect(await classifier.predict(crops)).toEqual(expected);
    expect(samples.map((s) => s.score)).toEqual(
      Array.from({ length: crops.length }, (_, i) => expected[i * 2 + classifier.liveIndex]),
    );
  });
});

describe('resolveLivenessModel', () => {
  it('prefers an explicit path, then the store, then the bundled default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fl-default-model-'));
    try {
      const store = new ModelStore(join(dir, 'store'));
      expect(await resolveLivenessModel(undefined, store)).toBe(BUNDLED_MODEL_DIR);
      expect(BUNDLED_MODEL_DIR).toBe(MODEL);
      await expect(resolveLivenessModel(join(dir, 'missing'), store)).rejects.toThrow(
        /model file not found: .*missing/,
      );
      await store.installFile('livenessnet', join(MODEL, 'model.json'), 'test', 'mine.json');
      expect(await resolveLivenessModel(undefined, store)).toBe(join(dir, 'store', 'mine.json'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
