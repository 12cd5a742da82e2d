import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compare, data, on, TOLERANCE } from './kernels-helpers.js';

describe('wasm Tile matches cpu', () => {
  const cases: [number[], number[]][] = [
    [
      [1, 1, 1, 5],
      [3, 4, 2, 1],
    ],
    [
      [2, 3],
      [2, 3],
    ],
    [[3], [4]],
    [
      [2, 1, 3, 1, 2],
      [1, 3, 1, 2, 2],
    ],
    [
      [2, 2],
      [1, 1],
    ],
    [
      [0, 2],
      [3, 1],
    ],
  ];
  it.each(cases)('x %j reps %j (float32, int32, bool)', async (shape, reps) => {
    const fn = () => {
      const x = tf.tensor(data(shape, 13), shape);
      return [
        tf.tile(x, reps),
        tf.tile(tf.cast(tf.mul(x, 10), 'int32'), reps),
        tf.tile(tf.greater(x, 0), reps),
      ];
    };
    const [wasm, cpu] = [await on('wasm', fn), await on('cpu', fn)];
    for (let i = 0; i < 3; i++) expect(Array.from(wasm[i])).toEqual(Array.from(cpu[i]));
  });
});

describe('wasm matMul with transposes matches cpu', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA %s transposeB %s, 2-D and batched, with gradients', async (ta, tb) => {
    const errors = await compare(() => {
      const a = tf.tensor(data([7, 5], 14), ta ? [5, 7] : [7, 5]);
      const b = tf.tensor(data([5, 3], 15), tb ? [3, 5] : [5, 3]);
      const a3 = tf.tensor(data([2, 7, 5], 16), ta ? [2, 5, 7] : [2, 7, 5]);
      const b3 = tf.tensor(data([2, 5, 3], 17), tb ? [2, 3, 5] : [2, 5, 3]);
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, ta, tb)));
      return [
        tf.matMul(a, b, ta, tb),
        tf.matMul(a3, b3, ta, tb),
        ...tf.grads(f)([a, b]),
        ...tf.grads(f)([a3, b3]),
      ];
    });
    for (const e of errors) expect(e).toBeLessThan(TOLERANCE);
  });
});

describe('wasm Sum/Mean match cpu', () => {
  // Leading and middle axis blocks take the average-pooling path; the rest the original kernels.
  const axes: (number | number[])[] = [
    0,
    [0, 1],
    [0, 1, 2],
    [-4, -3],
    [1, 2],
    [1],
    [2],
    [3],
    [0, 2],
    [0, 1, 2, 3],
  ];
  it.each(axes)('over axis %j, keepDims both ways', async (axis) => {
    const errors = await compare(() => {
      const x = tf.tensor4d(data([5, 7, 3, 6], 18), [5, 7, 3, 6]);
      const thin = tf.tensor4d(data([1, 7, 1, 6], 24), [1, 7, 1, 6]);
      return [
        tf.sum(x, axis),
        tf.sum(x, axis, true),
        tf.mean(x, axis),
        tf.mean(x, axis, true),
        tf.sum(thin, axis),
        tf.mean(thin, axis, true),
      ];
    });
    for (const e of errors) expect(e).toBeLessThan(TOLERANCE);
  });
  it('keeps int32 sums exact', async () => {
    const fn = () => [tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0)];
    expect(Array.from((await on('wasm', fn))[0])).toEqual([9, 12]);
  });
});

describe('wasm broadcasting binary ops match cpu', () => {
  // Per-channel operands against a large tensor take the tiling path; [4,1,1,80] (not over leading axes
  // only) and small tensors the original kernels.
  const big = [4, 16, 16, 80];
  const smalls = [[80], [1, 1, 1, 80], [16, 80], [1, 16, 80], [4, 1, 1, 80], [1]];
  it.each(smalls.map((s) => [s]))('[4,16,16,80] with %j, both operand orders', async (small) => {
    const errors = await compare(() => {
      const x = tf.tensor(data(big, 25), big);
      const v = tf.add(tf.abs(tf.tensor(data(small, 26), small)), 0.5);
      const little = tf.tensor(data([2, 3, 80], 27), [2, 3, 80]);
      return [
        tf.mul(x, v),
        tf.add(v, x),
        tf.sub(x, v),
        tf.sub(v, x),
        tf.div(x, v),
        tf.div(v, tf.add(tf.abs(x), 0.5)),
        tf.squaredDifference(v, x),
        tf.mul(little, v.size === 80 ? v : little),
      ];
    });
    for (const e of errors) expect(e).toBeLessThan(TOLERANCE);
  });
});

describe('wasm batch norm matches cpu', () => {
  // tfjs-core's batch-norm gradient only handles rank-1 parameters: the rank-4 cases check values only.
  const shapes: [string, number[], number[], boolean][] = [
    ['per-channel, 4-D', [3, 5, 7, 6], [6], true],
    ['per-channel, 2-D (dense)', [9, 13], [13], true],
    ['rank-4 per-channel params', [2, 3, 3, 4], [1, 1, 1, 4], false],
    ['params over two axes (original kernel)', [2, 3, 4, 5], [1, 1, 4, 5], false],
  ];
  it.each(shapes)('%s: x %j, params %j, gradients %s', async (_, xShape, pShape, gradients) => {
    const errors = await compare(() => {
      const x = tf.tensor(data(xShape, 19), xShape);
      const mean = tf.tensor(data(pShape, 20), pShape);
      const variance = tf.abs(tf.tensor(data(pShape, 21), pShape));
      const offset = tf.tensor(data(pShape, 22), pShape);
      const scale = tf.tensor(data(pShape, 23), pShape);
      const f = (a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        tf.sum(tf.square(tf.batchNorm(a, mean, variance, o, s, 1e-3)));
      return [
        tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
        tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3),
        ...(gradients ? tf.grads(f)([x, scale, offset]) : []),
      ];
    });
    for (const e of errors) expect(e).toBeLessThan(TOLERANCE);
  });
});

describe('wasm Identity and same-dtype Cast share data safely', () => {
  it('keeps a clone or cast valid after the original is disposed', async () => {
    await on('wasm', () => []);
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(x);
    const same = tf.cast(x, 'float32');
    const ints = tf.cast(tf.tensor1d([1.7, -2.2]), 'int32');
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(same.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(ints.dataSync())).toEqual([1, -2]);
    tf.dispose([copy, same, ints]);
  });
});
