import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { describeBackend, selectBackend } from '../src/backend/index.js';

const saved = process.env.FACE_LIVENESS_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.FACE_LIVENESS_BACKEND;
  else process.env.FACE_LIVENESS_BACKEND = saved;
});

async function hasTfjsNode(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-node' as string);
    return true;
  } catch {
    return false;
  }
}

describe('selectBackend', () => {
  it('picks tfjs-node when installed, else wasm without the training kernels', async () => {
    delete process.env.FACE_LIVENESS_BACKEND;
    const name = await selectBackend();
    expect(name).toBe((await hasTfjsNode()) ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(name);
    if (name === 'wasm') {
      expect(describeBackend()).toMatch(/^wasm \((no )?SIMD, \d+ threads?\)$/);
      expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    }
  });

  it('is forced by the option, which beats FACE_LIVENESS_BACKEND', async () => {
    process.env.FACE_LIVENESS_BACKEND = 'wasm';
    expect(await selectBackend({ backend: 'cpu' })).toBe('cpu');
    expect(describeBackend()).toMatch(/^cpu \(pure JavaScript/);
  });

  it('is forced by FACE_LIVENESS_BACKEND', async () => {
    process.env.FACE_LIVENESS_BACKEND = 'cpu';
    expect(await selectBackend()).toBe('cpu');
    process.env.FACE_LIVENESS_BACKEND = 'wasm';
    expect(await selectBackend()).toBe('wasm');
  });

  it('rejects unknown names, saying where they came from and what is allowed', async () => {
    process.env.FACE_LIVENESS_BACKEND = 'webgl';
    await expect(selectBackend()).rejects.toThrow(InvalidInputError);
    await expect(selectBackend()).rejects.toThrow(
      /'webgl' \(FACE_LIVENESS_BACKEND\): use one of tensorflow, wasm, cpu/,
    );
    await expect(selectBackend({ backend: 'gpu' as 'cpu' })).rejects.toThrow(/\(backend option\)/);
  });

  it('explains how to get tfjs-node when it is forced but absent', async (ctx) => {
    ctx.skip(await hasTfjsNode(), 'tfjs-node is installed here');
    await expect(selectBackend({ backend: 'tensorflow' })).rejects.toThrow(
      /npm install @tensorflow\/tfjs-node/,
    );
  });
});
