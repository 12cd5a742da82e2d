import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compare, data, TOLERANCE } from './kernels-helpers.js';

type Pad = 'same' | 'valid';
// [batch, height, width, inChannels, outChannels, kernel, stride, pad]: odd sizes, strides 1 and 2 (and mixed),
// both paddings, batch 1 and > 1, kernels 1/3/5, and the shapes of LivenessNet's layers.
const cases: [number, number, number, number, number, number, number | [number, number], Pad][] = [
  [1, 7, 9, 3, 5, 3, 1, 'same'],
  [3, 7, 9, 3, 5, 3, 2, 'same'],
  [2, 8, 8, 4, 6, 3, 2, 'valid'],
  [1, 9, 6, 2, 4, 3, 1, 'valid'],
  [2, 11, 10, 3, 2, 5, 2, 'same'],
  [1, 13, 12, 3, 4, 5, 2, 'valid'],
  [2, 12, 12, 3, 4, 4, 2, 'same'],
  [2, 9, 11, 5, 7, 1, 2, 'valid'],
  [2, 15, 13, 4, 3, 3, [1, 2], 'same'],
  [4, 32, 32, 3, 16, 3, 1, 'same'],
  [4, 16, 16, 16, 32, 3, 1, 'same'],
];

type Conv = (x: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor4D;

/** Output, input gradient and filter gradient of `conv` on seeded data, compared between wasm and cpu. */
async function convErrors(conv: Conv, xShape: number[], filterShape: number[]): Promise<number[]> {
  return compare(() => {
    const x = tf.tensor4d(data(xShape, 1), xShape as [number, number, number, number]);
    const filter = tf.tensor4d(data(filterShape, 2), filterShape as [number, number, number, number]);
    const y = conv(x, filter);
    // A random projection of the output makes every dy element distinct.
    const weights = tf.tensor(data(y.shape, 3), y.shape);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), weights));
    return [y, ...tf.grads(f)([x, filter])];
  });
}

describe('wasm conv2d gradients (Conv2DBackpropFilter/Input) match cpu', () => {
  it.each(cases)(
    'x [%i,%i,%i,%i], %i filters, kernel %i, stride %j, %s',
    async (n, h, w, ci, co, k, stride, pad) => {
      const conv: Conv = (x, filter) => tf.conv2d(x, filter, stride, pad);
      const errors = await convErrors(conv, [n, h, w, ci], [k, k, ci, co]);
      for (const e of errors) expect(e).toBeLessThan(TOLERANCE);
    },
  );

  it('fused conv2d with bias and relu (what tfjs-layers runs) has the same gradients', async () => {
    const errors = await compare(() => {
      const x = tf.tensor4d(data([3, 9, 9, 4], 4), [3, 9, 9, 4]);
      const filter = tf.tensor4d(data([3, 3, 4, 6], 5), [3, 3, 4, 6]);
      const bias = tf.tensor1d(data([6], 6));
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(
          tf.square(
            tf.fused.conv2d({
              x: a as tf.Tensor4D,
              filter: b as tf.Tensor4D,
              bias: c,
              strides: 2,
              pad: 'same',
              activation: 'relu',
            }),
          ),
        );
      return tf.grads(f)([x, filter, bias]);
    });
    for (const e of errors) expect(e).toBeLessThan(TOLERANCE);
  });
});

describe('wasm depthwise conv2d gradients match cpu', () => {
  // [batch, height, width, channels, multiplier, kernel, stride, pad]: multiplier 1 runs on XNNPACK, others in JS
  const depthwise: [number, number, number, number, number, number, number, Pad][] = [
    [1, 7, 9, 3, 1, 3, 1, 'same'],
    [2, 9, 7, 4, 1, 3, 2, 'same'],
    [2, 10, 9, 3, 1, 3, 2, 'valid'],
    [2, 8, 10, 3, 2, 3, 2, 'valid'],
    [3, 11, 11, 5, 1, 5, 1, 'valid'],
    [1, 12, 12, 2, 3, 3, 2, 'same'],
  ];
  it.each(depthwise)(
    'x [%i,%i,%i,%i] multiplier %i kernel %i stride %i %s',
    async (n, h, w, c, m, k, stride, pad) => {
      const conv: Conv = (x, filter) => tf.depthwiseConv2d(x, filter, stride, pad);
      const errors = await convErrors(conv, [n, h, w, c], [k, k, c, m]);
      for (const e of errors) expect(e).toBeLessThan(TOLERANCE);
    },
  );
});

describe('wasm pooling gradients match cpu', () => {
  // ReLU first: pooling windows full of zeros test the tie rule (the first maximum gets the gradient).
  it.each([
    [2, 9, 7, 3, 2, 2, 'valid'],
    [1, 8, 8, 4, 2, 2, 'same'],
    [2, 11, 9, 2, 3, 2, 'same'],
    [3, 7, 7, 5, 3, 1, 'valid'],
  ] as [number, number, number, number, number, number, Pad][])(
    'x [%i,%i,%i,%i] pool %i stride %i %s',
    async (n, h, w, c, size, stride, pad) => {
      const errors = await compare(() => {
        const x = tf.relu(tf.tensor4d(data([n, h, w, c], 10), [n, h, w, c]));
        const shape = tf.maxPool(x, size, stride, pad).shape;
        const weights = tf.tensor(data(shape, 11), shape);
        const max = (a: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, pad), weights));
        const avg = (a: tf.Tensor) =>
          tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, size, stride, pad), weights));
        const mean = (a: tf.Tensor) => tf.sum(tf.mul(tf.mean(a, [1, 2]), tf.tensor1d(data([c], 12))));
        return [tf.grad(max)(x), tf.grad(avg)(x), tf.grad(mean)(x)];
      });
      for (const e of errors) expect(e).toBeLessThan(TOLERANCE);
    },
  );
});
