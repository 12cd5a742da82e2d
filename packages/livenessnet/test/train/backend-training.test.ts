import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildArchitecture } from '../../src/architectures/registry.js';
import { selectTrainingBackend } from '../../src/train/backend.js';
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
const batch = (step: number, size: number) => ({
  x: tf.abs(tf.tensor4d(data([8, size, size, 3], 100 + step), [8, size, size, 3])),
  y: tf.cast(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 2), 'float32'),
});

interface Run {
  loss: number;
  gradients: Float32Array[];
  stepLosses: number[];
}

/**
 * On one backend, for an architecture (small input to keep cpu quick, batch 8, dropout on with seeded masks):
 * the first batch's training-mode loss and the gradients of every weight, then the losses of `steps` Adam steps.
 */
async function run(backend: 'wasm' | 'cpu', architecture: string, size: number, steps: number): Promise<Run> {
  await selectTrainingBackend({ backend });
  vi.spyOn(Math, 'random').mockImplementation(seeded(11));
  const model = buildArchitecture(architecture, { width: size, height: size, seed: 5 });
  const { x, y } = batch(0, size);
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
  for (let step = 1; step <= steps; step++) {
    const b = batch(step, size);
    stepLosses.push((await model.trainOnBatch(b.x, b.y)) as number);
    tf.dispose([b.x, b.y]);
  }
  model.dispose();
  vi.restoreAllMocks();
  return { loss, gradients, stepLosses };
}

describe('training on wasm', () => {
  it('frees every temporary of the composed kernels (no growth over steps)', async () => {
    await selectTrainingBackend({ backend: 'wasm' });
    const model = buildArchitecture('livenessnet-v2', { width: 24, height: 24, seed: 1 });
    model.compile({ optimizer: tf.train.adam(1e-4), loss: 'binaryCrossentropy' });
    const b = batch(0, 24);
    const step = () => model.trainOnBatch(b.x, b.y);
    await step();
    const before = { tensors: tf.memory().numTensors, data: tf.backend().numDataIds() };
    for (let i = 0; i < 3; i++) await step();
    expect({ tensors: tf.memory().numTensors, data: tf.backend().numDataIds() }).toEqual(before);
    tf.dispose([b.x, b.y]);
    model.dispose();
  });
});

describe('training on wasm matches cpu', () => {
  // [architecture, input size, Adam steps, trainable weights]: the original LivenessNet, and the later variants
  // (stride-2 stem, global average pooling, a frozen 1x1 colour conv) at a reduced input size.
  it.each([
    ['livenessnet-v1', 16, 3, 22], // 4 conv + 2 dense kernels and biases, 5 batch-norm gammas and betas
    ['livenessnet-v2', 24, 1, 22],
    ['livenessnet-v2-ycbcr', 24, 1, 24], // + the frozen colour conv (tf.variableGrads ignores trainable: false)
  ] as [string, number, number, number][])(
    '%s (input %i px, %i Adam steps): same loss, gradients of every weight and step losses',
    async (architecture, size, steps, weights) => {
      const wasm = await run('wasm', architecture, size, steps);
      const cpu = await run('cpu', architecture, size, steps);
      // Identical weights and masks: only float32 summation order differs (~1e-6 relative).
      expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5);
      expect(cpu.gradients.length).toBe(weights);
      expect(wasm.gradients.length).toBe(weights);
      for (let i = 0; i < weights; i++)
        expect(relError(wasm.gradients[i], cpu.gradients[i])).toBeLessThan(1e-4);
      // Adam moves a weight by ~lr whatever its gradient's size, so rounding noise in near-zero gradients
      // becomes lr-sized weight differences: later losses agree to about 1e-4, not to float precision.
      for (let i = 0; i < steps; i++)
        expect(Math.abs(wasm.stepLosses[i] - cpu.stepLosses[i])).toBeLessThan(1e-3);
    },
  );
});
