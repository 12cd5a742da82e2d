import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeBackend } from '../../src/backend/index.js';
import { selectTrainingBackend } from '../../src/train/backend.js';
import { WASM_TRAINING_KERNELS } from '../../src/train/wasm-kernels/index.js';

describe('selectTrainingBackend', () => {
  it('adds the training kernels to wasm, and describeBackend names them', async () => {
    expect(await selectTrainingBackend({ backend: 'wasm' })).toBe('wasm');
    expect(describeBackend()).toMatch(/^wasm \((no )?SIMD, \d+ threads?, face-liveness training kernels\)$/);
    for (const kernel of WASM_TRAINING_KERNELS) expect(tf.getKernel(kernel, 'wasm')).toBeDefined();
  });
});
