import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradient functions
import { selectTrainingBackend } from '../../src/train/backend.js';

export type Values = Float32Array | Int32Array | Uint8Array;

/** Runs `fn` on the given backend and returns its results as plain arrays (tensors disposed). */
export async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Values[]> {
  await selectTrainingBackend({ backend });
  return tf.tidy(fn).map((t) => {
    const v = t.dataSync() as Values;
    t.dispose();
    return v;
  });
}

/** Deterministic normal(0,1) data of a shape, identical on every backend. */
export function data(shape: number[], seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++)
    out[i] = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
  return out;
}

/**
 * Largest |a-b| relative to the reference's largest magnitude (at least 1). float32 sums of a few thousand
 * terms in different orders differ by ~1e-6 of that scale; the tests allow 1e-4.
 */
export function relError(a: Values, b: Values): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let scale = 1;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return Number.isNaN(worst) ? Number.POSITIVE_INFINITY : worst / scale;
}

export const TOLERANCE = 1e-4;

/** Results of `fn` on wasm and on cpu (the reference), pairwise. */
export async function compare(fn: () => tf.Tensor[]): Promise<number[]> {
  const wasm = await on('wasm', fn);
  const cpu = await on('cpu', fn);
  return wasm.map((w, i) => relError(w, cpu[i]));
}
