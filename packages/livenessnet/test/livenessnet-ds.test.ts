import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLivenessNetDs } from '../src/architectures/livenessnet-ds.js';
import { buildArchitecture } from '../src/architectures/registry.js';
import { compilePredictor } from '../src/backend/index.js';
import { loadLivenessModel } from '../src/io/load.js';
import { saveLivenessModel } from '../src/io/save.js';
import { defaultMetadata } from '../src/metadata.js';
import { selectTrainingBackend } from '../src/train/backend.js';
import { relError } from './train/kernels-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livenessnet-ds-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Cross-entropy loss and the gradient of every weight for one fixed batch (dropout off: no masks to share). */
async function gradients(backend: 'wasm' | 'cpu') {
  await selectTrainingBackend({ backend });
  const model = buildArchitecture('livenessnet-ds', { width: 32, height: 32, seed: 3 });
  const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 7);
  const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
  const { value, grads } = tf.variableGrads(() => {
    const p = model.apply(x, { training: false }) as tf.Tensor;
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1)));
  });
  const out = {
    loss: value.dataSync()[0],
    grads: Object.values(grads).map((g) => g.dataSync() as Float32Array),
  };
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
  return out;
}

describe('livenessnet-ds', () => {
  it('is registered, takes 80x80 by default, has about 0.4 M weights and a softmax output', async () => {
    await selectTrainingBackend({ backend: 'wasm' });
    const model = buildArchitecture('livenessnet-ds', { seed: 1 });
    expect(model.inputs[0].shape).toEqual([null, 80, 80, 3]);
    expect(model.outputs[0].shape).toEqual([null, 2]);
    expect(model.countParams()).toBeGreaterThan(300_000);
    expect(model.countParams()).toBeLessThan(500_000);
    const x = tf.randomUniform([2, 80, 80, 3], 0, 1, 'float32', 3);
    const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync() as number[][]);
    for (const row of predicted) expect(row[0] + row[1]).toBeCloseTo(1, 5);
    // Every layer is one compilePredictor fuses or runs as tfjs-layers would: same output.
    const compiled = tf.tidy(() => compilePredictor(model)(x).arraySync() as number[][]);
    expect(compiled.flat()).toEqual(predicted.flat().map((v) => expect.closeTo(v, 5)));
    x.dispose();
    model.dispose();
  });

  it('saves and loads with identical predictions', async () => {
    const model = buildLivenessNetDs({ width: 40, height: 40, seed: 2 });
    const path = join(dir, 'ds');
    await saveLivenessModel(model, path, defaultMetadata('livenessnet-ds', 40, 40));
    const { model: loaded, metadata } = await loadLivenessModel(path);
    expect(metadata.architecture).toBe('livenessnet-ds');
    const x = tf.randomUniform([3, 40, 40, 3], 0, 1, 'float32', 4);
    const a = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync() as number[][]);
    const b = tf.tidy(() => (loaded.predict(x) as tf.Tensor).arraySync() as number[][]);
    expect(b.flat()).toEqual(a.flat().map((v) => expect.closeTo(v, 6)));
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('trains on wasm with the gradients cpu computes (depthwise kernels included)', async () => {
    const wasm = await gradients('wasm');
    const cpu = await gradients('cpu');
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5);
    expect(wasm.grads.length).toBe(cpu.grads.length);
    for (let i = 0; i < cpu.grads.length; i++)
      expect(relError(wasm.grads[i], cpu.grads[i])).toBeLessThan(1e-3);
  });

  it('rejects inputs too small for its four stride-2 stages', () => {
    expect(() => buildLivenessNetDs({ width: 16, height: 16 })).toThrow(InvalidInputError);
  });
});
