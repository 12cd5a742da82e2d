import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLivenessNet } from '../../src/architectures/livenessnet-v1.js';
import { selectBackend } from '../../src/backend/index.js';
import { LivenessClassifier } from '../../src/classifier.js';
import { LivenessEnsemble } from '../../src/ensemble.js';
import { importKerasModel } from '../../src/keras/import.js';
import { readImageFor } from '../../src/preprocess.js';

const KERAS = sharedPath('models/seed-livenessnet/liveness.model');
const FIXTURES = sharedPath('fixtures/seed-livenessnet');

interface Reference {
  image: string;
  probabilities: [number, number];
}

function references(file: string): Reference[] {
  return readFileSync(join(FIXTURES, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

async function maxDifference(classifier: LivenessClassifier, file: string): Promise<number> {
  const rows = references(file);
  const frames = await Promise.all(rows.map((r) => readImageFor(classifier.metadata, sharedPath(r.image))));
  const probabilities = await classifier.predict(frames);
  let max = 0;
  rows.forEach((row, i) => {
    for (let k = 0; k < 2; k++)
      max = Math.max(max, Math.abs(probabilities[i * 2 + k] - row.probabilities[k]));
  });
  return max;
}

let dir: string;
beforeAll(async () => {
  await selectBackend();
  await h5wasm.ready;
  dir = await mkdtemp(join(tmpdir(), 'livenessnet-keras-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Keras HDF5 import', () => {
  it('equals the numpy reference within 1e-4 on the 32x32 inputs and 0.02 on whole images', async (ctx) => {
    needFiles(ctx, KERAS, FIXTURES);
    const classifier = await LivenessClassifier.load(KERAS);
    expect(classifier.metadata).toMatchObject({
      architecture: 'livenessnet-v1',
      channelOrder: 'BGR',
      classNames: ['fake', 'real'],
      inputSize: { width: 32, height: 32 },
    });
    expect(await maxDifference(classifier, 'numpy-reference-inputs-32.jsonl')).toBeLessThan(1e-4);
    // two of these are CMYK JPEGs: OpenCV's decoding of them is matched too
    expect(await maxDifference(classifier, 'numpy-reference.jsonl')).toBeLessThan(0.02);
    await classifier.close();
  });

  it('rejects a foreign HDF5 file, a non-HDF5 file and an unsupported layer, naming them', async () => {
    const foreign = join(dir, 'foreign.h5');
    const file = new h5wasm.File(foreign, 'w');
    file.create_dataset({ name: 'temperatures', data: new Float32Array([1, 2, 3]) });
    file.close();
    await expect(importKerasModel(foreign)).rejects.toThrow(ModelFormatError);
    await expect(importKerasModel(foreign)).rejects.toThrow(
      /foreign\.h5 is an HDF5 file but not a Keras model/,
    );

    const text = join(dir, 'model.h5');
    await writeFile(text, 'not hdf5 at all');
    await expect(importKerasModel(text)).rejects.toThrow(/model\.h5 is not an HDF5 file/);

    const lambda = join(dir, 'lambda.h5');
    const keras = new h5wasm.File(lambda, 'w');
    const config = {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'Flatten', config: { name: 'flatten_1', batch_input_shape: [null, 8, 8, 3] } },
          { class_name: 'Lambda', config: { name: 'lambda_1' } },
        ],
      },
    };
    keras.create_attribute('model_config', JSON.stringify(config));
    keras.close();
    await expect(importKerasModel(lambda)).rejects.toThrow(
      /layer 'lambda_1' is a Lambda, which the importer does not support/,
    );
  });

  it('imports a Keras file of another input size with the same outputs as the model it was written from', async () => {
    // A Keras 2 HDF5 file written here: tfjs' toJSON() is Keras' model_config, weights laid out as Keras does.
    const source = buildLivenessNet({ width: 24, height: 16, seed: 5 });
    for (const layer of source.layers) {
      // BatchNorm gets positive statistics far from its identity initialisation
      const [lo, hi] = layer.getClassName() === 'BatchNormalization' ? [0.5, 1.5] : [-0.1, 0.1];
      layer.setWeights(layer.getWeights().map((w, i) => tf.randomUniform(w.shape, lo, hi, 'float32', i + 1)));
    }
    const path = join(dir, 'small.h5');
    const file = new h5wasm.File(path, 'w');
    file.create_attribute('model_config', JSON.stringify(source.toJSON(null, false)));
    const weights = file.create_group('model_weights');
    for (const layer of source.layers) {
      const group = weights.create_group(layer.name);
      if (layer.weights.length === 0) continue;
      group.create_group(layer.name);
      group.create_attribute(
        'weight_names',
        layer.weights.map((w) => `${w.originalName}:0`),
      );
      layer.getWeights().forEach((value, i) => {
        const w = layer.weights[i];
        group.create_dataset({
          name: `${w.originalName}:0`,
          data: value.dataSync() as Float32Array,
          shape: w.shape,
        });
      });
    }
    file.close();
    const { model, metadata } = await importKerasModel(path, { channelOrder: 'RGB' });
    expect(metadata).toMatchObject({ architecture: 'livenessnet-v1', inputSize: { width: 24, height: 16 } });
    const x = tf.randomUniform([2, 16, 24, 3], 0, 1, 'float32', 1);
    const expected = (source.predict(x) as tf.Tensor).dataSync();
    const got = (model.predict(x) as tf.Tensor).dataSync();
    expect(expected.some((p) => p > 0.01 && p < 0.99)).toBe(true);
    expect(Math.max(...got.map((v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-6);
    tf.dispose([x]);
    source.dispose();
    model.dispose();
  });

  it('refuses an ensemble member whose listed size differs from the model input', async (ctx) => {
    needFiles(ctx, KERAS);
    const ensembleDir = join(dir, 'ensemble');
    await mkdir(ensembleDir);
    await writeFile(join(ensembleDir, 'frame_size.txt'), `${KERAS} 64 64\n`);
    await expect(LivenessEnsemble.load(ensembleDir)).rejects.toThrow(
      /takes 32x32 inputs, not the 64x64 asked for/,
    );
  });

  it('averages the members of an ensemble', async (ctx) => {
    needFiles(ctx, KERAS, FIXTURES);
    const ensembleDir = join(dir, 'pair');
    await mkdir(ensembleDir);
    await writeFile(join(ensembleDir, 'frame_size.txt'), `${KERAS} 32 32\n${KERAS} 32 32\n`);
    const ensemble = await LivenessEnsemble.load(ensembleDir);
    const row = references('numpy-reference-inputs-32.jsonl')[0];
    const frame = await readImageFor(ensemble.members[0].metadata, sharedPath(row.image));
    const result = await ensemble.classify(frame);
    expect(result.score).toBeCloseTo(row.probabilities[1], 4);
    expect(result.label).toBe(row.probabilities[1] >= 0.5 ? 'real' : 'fake');
    await ensemble.close();
  });
});
