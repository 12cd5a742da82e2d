import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { buildLivenessNet } from '../src/architectures/livenessnet-v1.js';
import { selectBackend } from '../src/backend/index.js';
import { compilePredictor } from '../src/backend/predictor.js';
import { data, relError, TOLERANCE } from './train/kernels-helpers.js';

/** Random weights everywhere (variances positive), so that batch norm is not the identity. */
function randomise(model: tfl.LayersModel): void {
  model.setWeights(
    model.weights.map((w, i) => {
      const values = tf.tensor(data(w.shape as number[], 40 + i), w.shape as number[]);
      return w.name.includes('variance') ? tf.add(tf.abs(values), 0.1) : tf.mul(values, 0.3);
    }),
  );
}

/**
 * A later-variant stack: 'valid' and stride-2 convolutions, depthwise conv, conv with its own activation, dense
 * over channels, GAP.
 */
function variant(): tfl.Sequential {
  const m = tfl.sequential();
  m.add(
    tfl.layers.conv2d({ inputShape: [21, 19, 3], filters: 8, kernelSize: 3, strides: 2, padding: 'valid' }),
  );
  m.add(tfl.layers.activation({ activation: 'relu' }));
  m.add(tfl.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }));
  m.add(tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.dense({ units: 10 })); // on a rank-4 input: over the channel axis
  m.add(tfl.layers.activation({ activation: 'relu' }));
  m.add(tfl.layers.conv2d({ filters: 12, kernelSize: 1, useBias: false }));
  m.add(tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' }));
  m.add(tfl.layers.globalAveragePooling2d({}));
  m.add(tfl.layers.dense({ units: 2, activation: 'sigmoid' }));
  return m;
}

describe('compilePredictor', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it.each([
      ['LivenessNet', () => buildLivenessNet({ seed: 2 }), [32, 32, 3]],
      ['a variant stack', variant, [21, 19, 3]],
    ] as [string, () => tfl.LayersModel, number[]][])(
      `gives model.predict's output for %s on ${backend}`,
      async (_, build, shape) => {
        await selectBackend({ backend });
        const model = build();
        randomise(model);
        const predict = compilePredictor(model);
        for (const batch of [1, 5]) {
          const x = tf.tensor4d(data([batch, ...shape], batch), [batch, ...shape] as [
            number,
            number,
            number,
            number,
          ]);
          const reference = model.predict(x) as tf.Tensor;
          const fast = predict(x);
          expect(fast.shape).toEqual(reference.shape);
          expect(
            relError(fast.dataSync() as Float32Array, reference.dataSync() as Float32Array),
          ).toBeLessThan(TOLERANCE);
          tf.dispose([x, reference, fast]);
        }
        model.dispose();
      },
    );
  }
});
