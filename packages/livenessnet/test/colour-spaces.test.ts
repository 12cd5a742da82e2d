import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLivenessNet } from '../src/architectures/livenessnet-v1.js';
import { architectures, buildArchitecture } from '../src/architectures/registry.js';
import { compilePredictor, selectBackend } from '../src/backend/index.js';
import { loadLivenessModel } from '../src/io/load.js';
import { saveLivenessModel } from '../src/io/save.js';
import { defaultMetadata } from '../src/metadata.js';
import { rgbToHsv } from '../src/rgb-hsv.js';

let dir: string;
beforeAll(async () => {
  await selectBackend();
  dir = await mkdtemp(join(tmpdir(), 'livenessnet-colour-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// RGB (0..255) -> [H / 360, S, V] from python3-opencv 4.6: cv2.cvtColor(float32 RGB / 255, COLOR_RGB2HSV).
const OPENCV_HSV: [number[], number[]][] = [
  [
    [255, 0, 0],
    [0, 1, 1],
  ],
  [
    [0, 255, 0],
    [1 / 3, 1, 1],
  ],
  [
    [0, 0, 255],
    [2 / 3, 1, 1],
  ],
  [
    [255, 255, 0],
    [1 / 6, 1, 1],
  ],
  [
    [255, 0, 255],
    [5 / 6, 1, 1],
  ],
  [
    [200, 100, 50],
    [0.0555555, 0.75, 0.7843137],
  ],
  [
    [10, 20, 250],
    [0.6597222, 0.96, 0.9803922],
  ],
  [
    [30, 200, 120],
    [0.4215686, 0.85, 0.7843137],
  ],
  [
    [128, 128, 128],
    [0, 0, 0.5019608],
  ],
  [
    [0, 0, 0],
    [0, 0, 0],
  ],
];

describe('rgbToHsv', () => {
  it('matches OpenCV on primaries, a negative-hue wrap (magenta), grey and black', () => {
    const rgb = tf.tensor4d(
      OPENCV_HSV.flatMap(([p]) => p.map((v) => v / 255)),
      [1, 1, OPENCV_HSV.length, 3],
    );
    const hsv = rgbToHsv(rgb);
    const got = Array.from(hsv.dataSync());
    tf.dispose([rgb, hsv]);
    expect(got).toEqual(OPENCV_HSV.flatMap(([, want]) => want.map((v) => expect.closeTo(v, 5))));
  });
});

function trainableParams(model: LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
}

describe('livenessnet-v1 colour variants', () => {
  it('are registered and put a fixed, weightless-to-train colour layer before the original network', () => {
    expect(Object.keys(architectures)).toEqual(
      expect.arrayContaining(['livenessnet-v1-hsv', 'livenessnet-v1-ycbcr']),
    );
    const plain = buildLivenessNet({ seed: 1 });
    for (const name of ['livenessnet-v1-hsv', 'livenessnet-v1-ycbcr']) {
      const model = buildArchitecture(name, { seed: 1 });
      expect(model.inputs[0].shape).toEqual([null, 32, 32, 3]);
      expect(model.layers[0].trainable).toBe(false);
      expect(model.layers[0].name).toBe(`rgb_${name.slice('livenessnet-v1-'.length)}`);
      expect(model.layers[0].outputShape).toEqual([null, 32, 32, 6]);
      expect(model.layers.slice(1).map((l) => l.getClassName())).toEqual(
        plain.layers.map((l) => l.getClassName()),
      );
      // Only the first convolution grows: 3 more input channels x 3x3 x 16 filters.
      expect(trainableParams(model)).toBe(trainableParams(plain) + 3 * 9 * 16);
      model.dispose();
    }
    plain.dispose();
  });

  it('hsv: the first layer outputs RGB then OpenCV HSV', () => {
    const model = buildArchitecture('livenessnet-v1-hsv', { width: 4, height: 4 });
    const out = tf.tidy(() => {
      const x = tf.add(tf.zeros([1, 4, 4, 3]), tf.tensor1d([200 / 255, 100 / 255, 50 / 255]));
      return tf.slice(model.layers[0].apply(x) as tf.Tensor, [0, 0, 0, 0], [1, 1, 1, 6]);
    });
    const got = Array.from(out.dataSync());
    out.dispose();
    expect(got).toEqual(
      [200 / 255, 100 / 255, 50 / 255, 0.0555555, 0.75, 0.7843137].map((v) => expect.closeTo(v, 5)),
    );
    model.dispose();
  });

  it('save and load (HSV layer included) with the same predictions, also through compilePredictor', async () => {
    for (const name of ['livenessnet-v1-hsv', 'livenessnet-v1-ycbcr']) {
      const model = buildArchitecture(name, { width: 16, height: 16, seed: 3 });
      const path = join(dir, name);
      await saveLivenessModel(model, path, defaultMetadata(name, 16, 16));
      const { model: loaded, metadata } = await loadLivenessModel(path);
      expect(metadata.architecture).toBe(name);
      const x = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 5);
      const a = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync() as number[][]);
      const b = tf.tidy(() => (loaded.predict(x) as tf.Tensor).arraySync() as number[][]);
      const c = tf.tidy(() => compilePredictor(loaded)(x as tf.Tensor4D).arraySync() as number[][]);
      expect(b.flat()).toEqual(a.flat().map((v) => expect.closeTo(v, 6)));
      expect(c.flat()).toEqual(a.flat().map((v) => expect.closeTo(v, 5)));
      tf.dispose(x);
      model.dispose();
      loaded.dispose();
    }
  });

  it('reject a non-RGB input', () => {
    expect(() => buildArchitecture('livenessnet-v1-hsv', { depth: 1 })).toThrow(/RGB input/);
  });
});
