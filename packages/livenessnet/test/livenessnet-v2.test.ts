import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLivenessNetV2 } from '../src/architectures/livenessnet-v2.js';
import { buildArchitecture } from '../src/architectures/registry.js';
import { selectBackend } from '../src/backend/index.js';
import { loadLivenessModel } from '../src/io/load.js';
import { saveLivenessModel } from '../src/io/save.js';
import { defaultMetadata } from '../src/metadata.js';

let dir: string;
beforeAll(async () => {
  await selectBackend();
  dir = await mkdtemp(join(tmpdir(), 'livenessnet-v2-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('livenessnet-v2', () => {
  it('is registered, takes 64x64 by default and stays small (no 2048-wide dense layer)', () => {
    const model = buildArchitecture('livenessnet-v2', { width: 64, height: 64, seed: 1 });
    expect(model.inputs[0].shape).toEqual([null, 64, 64, 3]);
    expect(model.outputs[0].shape).toEqual([null, 2]);
    expect(model.countParams()).toBeLessThan(40_000);
    const out = tf.tidy(
      () => model.predict(tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 3)) as tf.Tensor,
    );
    const rows = out.arraySync() as number[][];
    for (const row of rows) expect(row[0] + row[1]).toBeCloseTo(1, 5);
    out.dispose();
    model.dispose();
  });

  it('ycbcr: its fixed first layer appends BT.601 YCbCr to RGB and does not train', () => {
    const model = buildArchitecture('livenessnet-v2-ycbcr', { width: 16, height: 16, seed: 1 });
    const first = model.layers[0];
    expect(first.trainable).toBe(false);
    const pixel = [200 / 255, 100 / 255, 50 / 255];
    const out = tf.tidy(() => {
      const x = tf.tensor4d(Array.from({ length: 16 * 16 }, () => pixel).flat(), [1, 16, 16, 3]);
      return tf.reshape(tf.slice(first.apply(x) as tf.Tensor, [0, 0, 0, 0], [1, 1, 1, 6]), [6]);
    });
    const [r, g, b, y, cb, cr] = out.dataSync();
    out.dispose();
    expect([r, g, b]).toEqual(pixel.map((v) => expect.closeTo(v, 6)));
    expect(y).toBeCloseTo(0.299 * pixel[0] + 0.587 * pixel[1] + 0.114 * pixel[2], 5);
    expect(cb).toBeCloseTo(0.5 + (pixel[2] - y) * 0.564334, 4);
    expect(cr).toBeCloseTo(0.5 + (pixel[0] - y) * 0.713267, 4);
    model.dispose();
  });

  it('saves and loads with identical predictions, fixed colour layer included', async () => {
    const model = buildLivenessNetV2({ width: 32, height: 32, ycbcr: true, seed: 2 });
    const path = join(dir, 'v2');
    await saveLivenessModel(model, path, defaultMetadata('livenessnet-v2-ycbcr', 32, 32));
    const { model: loaded, metadata } = await loadLivenessModel(path);
    expect(metadata.architecture).toBe('livenessnet-v2-ycbcr');
    const x = tf.randomUniform([3, 32, 32, 3], 0, 1, 'float32', 4);
    const a = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync() as number[][]);
    const b = tf.tidy(() => (loaded.predict(x) as tf.Tensor).arraySync() as number[][]);
    expect(b.flat()).toEqual(a.flat().map((v) => expect.closeTo(v, 6)));
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });

  it('rejects inputs too small for its three poolings and YCbCr on non-RGB input', () => {
    expect(() => buildLivenessNetV2({ width: 8, height: 8 })).toThrow(InvalidInputError);
    expect(() => buildLivenessNetV2({ depth: 1, ycbcr: true })).toThrow(/RGB input/);
  });
});
