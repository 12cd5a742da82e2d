import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildLivenessNet } from '../src/architectures.js';
import { selectBackend } from '../src/backend/index.js';
import { data } from './kernels-helpers.js';

/** mulberry32: tfjs takes dropout seeds from Math.random, so seeding it gives both backends the same masks. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Losses of a few Adam steps of LivenessNet (16x16 input to keep cpu quick) and the final weights. */
async function train(backend: 'wasm' | 'cpu'): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await selectBackend({ backend });
  vi.spyOn(Math, 'random').mockImplementation(seeded(11));
  const model = buildLivenessNet({ width: 16, height: 16, seed: 5 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  const losses: number[] = [];
  for (let step = 0; step < 4; step++) {
    const x = tf.abs(tf.tensor4d(data([8, 16, 16, 3], 100 + step), [8, 16, 16, 3]));
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1], 'int32'), 2), 'float32');
    losses.push((await model.trainOnBatch(x, y)) as number);
    tf.dispose([x, y]);
  }
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  vi.restoreAllMocks();
  return { losses, weights };
}

describe('LivenessNet training on wasm matches cpu', () => {
  it('gives the same losses and weights after 4 steps (dropout on, same masks)', async () => {
    const wasm = await train('wasm');
    const cpu = await train('cpu');
    // Same seeds, same batches: only float32 rounding differs, so losses agree to ~1e-6 and weights drift
    // by far less than one Adam step (1e-3).
    for (let i = 0; i < cpu.losses.length; i++)
      expect(Math.abs(wasm.losses[i] - cpu.losses[i])).toBeLessThan(1e-4);
    let worst = 0;
    cpu.weights.forEach((w, i) => {
      for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j] - wasm.weights[i][j]));
    });
    expect(worst).toBeLessThan(1e-4);
  });
});
