import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildLivenessNet } from '../src/architectures.js';
import { selectBackend } from '../src/backend/index.js';
import { data, relError } from './kernels-helpers.js';

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

const LABELS = [0, 1, 1, 0, 1, 0, 0, 1];
const batch = (step: number) => ({
  x: tf.abs(tf.tensor4d(data([8, 16, 16, 3], 100 + step), [8, 16, 16, 3])),
  y: tf.cast(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 2), 'float32'),
});

interface Run {
  loss: number;
  gradients: Float32Array[];
  stepLosses: number[];
}

/**
 * On one backend, for LivenessNet (16x16 input to keep cpu quick, batch 8, dropout on with seeded masks):
 * the first batch's training-mode loss and the gradients of every weight, then the losses of 3 Adam steps.
 */
async function run(backend: 'wasm' | 'cpu'): Promise<Run> {
  await selectBackend({ backend });
  vi.spyOn(Math, 'random').mockImplementation(seeded(11));
  const model = buildLivenessNet({ width: 16, height: 16, seed: 5 });
  const { x, y } = batch(0);
  const { value, grads } = tf.variableGrads(() => {
    const p = model.apply(x, { training: true }) as tf.Tensor;
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1)));
  });
  const loss = value.dataSync()[0];
  // Keys follow variable creation order, the same in both runs (the names carry per-model counters).
  const gradients = Object.values(grads).map((g) => g.dataSync() as Float32Array);
  tf.dispose([value, x, y, ...Object.values(grads)]);

  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'binaryCrossentropy' });
  const stepLosses: number[] = [];
  for (let step = 1; step <= 3; step++) {
    const b = batch(step);
    stepLosses.push((await model.trainOnBatch(b.x, b.y)) as number);
    tf.dispose([b.x, b.y]);
  }
  model.dispose();
  vi.restoreAllMocks();
  return { loss, gradients, stepLosses };
}

describe('LivenessNet training on wasm matches cpu', () => {
  it('gives the same loss, the same gradients for every weight, and the same losses over Adam steps', async () => {
    const wasm = await run('wasm');
    const cpu = await run('cpu');
    // Identical weights and masks: only float32 summation order differs (~1e-6 relative).
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5);
    expect(cpu.gradients.length).toBe(22); // 4 conv + 2 dense kernels and biases, 5 batch-norm gamma and beta
    expect(wasm.gradients.length).toBe(cpu.gradients.length);
    for (let i = 0; i < cpu.gradients.length; i++)
      expect(relError(wasm.gradients[i], cpu.gradients[i])).toBeLessThan(1e-4);
    // Adam moves a weight by ~lr whatever its gradient's size, so rounding noise in near-zero gradients becomes
    // lr-sized weight differences: later losses agree to about 1e-4, not to float precision.
    for (let i = 0; i < cpu.stepLosses.length; i++) {
      expect(Math.abs(wasm.stepLosses[i] - cpu.stepLosses[i])).toBeLessThan(1e-3);
    }
  });
});
