import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrame, InvalidInputError, ModelFormatError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLivenessNet } from '../src/architectures/livenessnet-v1.js';
import { architectures, buildArchitecture } from '../src/architectures/registry.js';
import { selectBackend } from '../src/backend/index.js';
import { LivenessClassifier } from '../src/classifier.js';
import { FileSystemHandler, loadLivenessModel } from '../src/io/load.js';
import { ModelDirectoryWriter, saveLivenessModel } from '../src/io/save.js';
import { defaultMetadata } from '../src/metadata.js';

let dir: string;
beforeAll(async () => {
  await selectBackend();
  dir = await mkdtemp(join(tmpdir(), 'livenessnet-io-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function randomFrame(width: number, height: number, seed: number): ReturnType<typeof createFrame> {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return createFrame(data, width, height);
}

describe('buildLivenessNet', () => {
  it('has the original layers and the Keras parameter count', () => {
    const model = buildLivenessNet();
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      ...['Conv2D', 'Activation', 'BatchNormalization', 'Conv2D', 'Activation', 'BatchNormalization'],
      ...['MaxPooling2D', 'Dropout'],
      ...['Conv2D', 'Activation', 'BatchNormalization', 'Conv2D', 'Activation', 'BatchNormalization'],
      ...['MaxPooling2D', 'Dropout', 'Flatten', 'Dense', 'Activation', 'BatchNormalization', 'Dropout'],
      ...['Dense', 'Activation'],
    ]);
    // The Keras model.summary() of the original: 148,562 parameters.
    expect(model.countParams()).toBe(148562);
    expect(model.outputs[0].shape).toEqual([null, 2]);
    const bn = model.layers[2].getConfig();
    expect(bn.epsilon).toBe(1e-3);
    expect(model.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => l.getConfig().rate)).toEqual(
      [0.25, 0.25, 0.5],
    );
    model.dispose();
  });

  it('builds other sizes by name and rejects unknown names', () => {
    const model = buildArchitecture('livenessnet-v1', { width: 48, height: 24 });
    expect(model.inputs[0].shape).toEqual([null, 24, 48, 3]);
    model.dispose();
    expect(() => buildArchitecture('resnet')).toThrow(/unknown architecture 'resnet'.*livenessnet-v1/);
  });
});

describe('model I/O', () => {
  it('saves and reloads from a directory, memory, a URL and an IOHandler with the same outputs', async () => {
    const model = buildLivenessNet({ width: 16, height: 16, seed: 1 });
    const metadata = { ...defaultMetadata('livenessnet-v1', 16, 16, 'unit test'), threshold: 0.7 };
    const out = join(dir, 'saved');
    await saveLivenessModel(model, out, metadata);
    const frames = [randomFrame(16, 16, 1), randomFrame(40, 30, 2)];
    const expected = await LivenessClassifier.fromModel(model, metadata).classifyBatch(frames);

    const fromDir = await LivenessClassifier.load(out);
    expect(fromDir.metadata).toEqual(metadata);
    expect(fromDir.threshold).toBe(0.7);
    const got = await fromDir.classifyBatch(frames);
    got.forEach((r, i) => {
      expect(r.score).toBeCloseTo(expected[i].score, 6);
    });
    await fromDir.close();

    const modelJson = await readFile(join(out, 'model.json'));
    const weights = await readFile(join(out, 'weights.bin'));
    const fromMemory = await loadLivenessModel({ modelJson, weights });
    expect(fromMemory.metadata.trainedOn).toBe('unit test');
    fromMemory.model.dispose();

    const server = createServer(async (req, res) => {
      res.end(await readFile(join(out, req.url ?? '')));
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const fromUrl = await LivenessClassifier.load(`http://127.0.0.1:${port}/model.json`);
      expect((await fromUrl.classify(frames[1])).score).toBeCloseTo(expected[1].score, 6);
      await fromUrl.close();
    } finally {
      server.close();
    }

    const fromHandler = await loadLivenessModel(new FileSystemHandler(out));
    expect(fromHandler.metadata.inputSize).toEqual({ width: 16, height: 16 });
    fromHandler.model.dispose();
    model.dispose();
  });

  it.each(Object.keys(architectures))(
    '%s loads without tfjs-layers (compiled from model.json) with fromModel scores',
    async (name) => {
      // Random weights and batch-norm statistics, so that every layer matters.
      const model = buildArchitecture(name, { width: 32, height: 32, seed: 3 });
      model.setWeights(
        model.weights.map((w, i) =>
          tf.tidy(() => {
            const values = tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 10 + i);
            return w.name.includes('variance') ? tf.add(tf.abs(values), 0.5) : values;
          }),
        ),
      );
      const metadata = defaultMetadata(name, 32, 32, 'unit test');
      const out = join(dir, `compiled-${name}`);
      await saveLivenessModel(model, out, metadata);
      const frames = [randomFrame(32, 32, 7), randomFrame(50, 41, 8)];
      const reference = LivenessClassifier.fromModel(model, metadata);
      const expected = await reference.predict(frames);
      const loaded = await LivenessClassifier.load(out);
      expect(loaded.model).toBeUndefined();
      const got = await loaded.predict(frames);
      got.forEach((p, i) => {
        expect(p).toBeCloseTo(expected[i], 5);
      });
      await Promise.all([loaded.close(), reference.close()]);
    },
  );

  it('falls back to tfjs-layers for a topology it cannot compile', async () => {
    const model = buildLivenessNet({ width: 16, height: 16, seed: 4 });
    const metadata = defaultMetadata('livenessnet-v1', 16, 16, 'unit test');
    const out = join(dir, 'layernorm');
    await saveLivenessModel(model, out, metadata);
    // A layer the compiler does not know, that tfjs-layers does: a Dropout renamed to GaussianDropout
    // (also the identity at inference).
    const path = join(out, 'model.json');
    const json = JSON.parse(await readFile(path, 'utf8'));
    const dropout = json.modelTopology.config.layers.find(
      (l: { class_name: string }) => l.class_name === 'Dropout',
    );
    dropout.class_name = 'GaussianDropout';
    await writeFile(path, JSON.stringify(json));
    const frames = [randomFrame(16, 16, 9)];
    const expected = await LivenessClassifier.fromModel(model, metadata).predict(frames);
    const loaded = await LivenessClassifier.load(out);
    expect(loaded.model?.getClassName()).toBe('Sequential');
    expect((await loaded.predict(frames))[0]).toBeCloseTo(expected[0], 5);
    await loaded.close();
  });

  it('reads a damaged or hostile model.json as a ModelFormatError, and Keras defaults as Keras does', async () => {
    const model = buildLivenessNet({ width: 16, height: 16, seed: 5 });
    const metadata = defaultMetadata('livenessnet-v1', 16, 16, 'unit test');
    const out = join(dir, 'hostile');
    await saveLivenessModel(model, out, metadata);
    const path = join(out, 'model.json');
    const original = await readFile(path, 'utf8');
    const frames = [randomFrame(16, 16, 11)];
    const expected = await LivenessClassifier.fromModel(model, metadata).predict(frames);
    const edit = async (
      change: (json: {
        modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
        weightsManifest: { weights: { name: string }[] }[];
      }) => void,
    ) => {
      const json = JSON.parse(original);
      change(json);
      await writeFile(path, JSON.stringify(json));
    };
    const layers = (json: Parameters<Parameters<typeof edit>[0]>[0]) => json.modelTopology.config.layers;

    // Batch norms without scale/center keys: Keras' defaults (true), not false.
    await edit((json) => {
      for (const l of layers(json))
        if (l.class_name === 'BatchNormalization') delete l.config.scale, delete l.config.center;
    });
    const defaults = await LivenessClassifier.load(out);
    expect((await defaults.predict(frames))[0]).toBeCloseTo(expected[0], 5);
    await defaults.close();

    // A bias the config promises but the manifest lacks.
    await edit((json) => {
      const conv = layers(json).find((l) => l.class_name === 'Conv2D')?.config.name;
      const group = json.weightsManifest[0];
      group.weights = group.weights.filter((w) => w.name !== `${conv}/bias`);
    });
    await expect(LivenessClassifier.load(out)).rejects.toThrow(/bias/);

    // A weights file outside the model's directory.
    await edit((json) => {
      (json.weightsManifest[0] as unknown as { paths: string[] }).paths = ['../../etc/passwd'];
    });
    await expect(LivenessClassifier.load(out)).rejects.toThrow(/outside the model directory/);

    // An input the probe pass would choke on.
    await edit((json) => {
      layers(json)[0].config.batch_input_shape = [null, 8000, 8000, 3];
    });
    await expect(LivenessClassifier.load(out)).rejects.toThrow(ModelFormatError);
    await expect(LivenessClassifier.load(out)).rejects.toThrow(/input shape \[, 8000, 8000, 3\]/);
    // one flipped bit in a key of the weights manifest (the fuzzer's "sh\xe1pe")
    await edit((json) => {
      const spec = json.weightsManifest[0].weights[1] as Record<string, unknown>;
      spec.sh_pe = spec.shape;
      delete spec.shape;
    });
    await expect(LivenessClassifier.load(out)).rejects.toThrow(
      /weights manifest is damaged \(weight .* has no valid shape\)/,
    );
    model.dispose();
  });

  it('classifies inside tidy: no tensors leak', async () => {
    const model = buildLivenessNet({ width: 16, height: 16 });
    const classifier = LivenessClassifier.fromModel(model, defaultMetadata('livenessnet-v1', 16, 16));
    await classifier.classify(randomFrame(20, 20, 3));
    const before = tf.memory().numTensors;
    await classifier.classifyBatch([randomFrame(20, 20, 4), randomFrame(8, 9, 5)]);
    expect(tf.memory().numTensors).toBe(before);
    await classifier.close();
  });

  it('rejects models without metadata, a mismatched input size and a bad frame', async () => {
    const model = buildLivenessNet({ width: 16, height: 16 });
    const plain = join(dir, 'plain');
    await model.save(new ModelDirectoryWriter(plain));
    await expect(loadLivenessModel(plain)).rejects.toThrow(ModelFormatError);
    await expect(loadLivenessModel(plain)).rejects.toThrow(/no face-liveness metadata/);
    const good = join(dir, 'sixteen');
    await saveLivenessModel(model, good, defaultMetadata('livenessnet-v1', 16, 16));
    await expect(
      LivenessClassifier.load(good, { expectInputSize: { width: 32, height: 32 } }),
    ).rejects.toThrow(/takes 16x16 inputs, not the 32x32 asked for/);
    await expect(saveLivenessModel(model, good, defaultMetadata('livenessnet-v1', 32, 32))).rejects.toThrow(
      /inputSize 32x32 disagrees/,
    );
    await expect(loadLivenessModel(join(dir, 'absent'))).rejects.toThrow(InvalidInputError);
    const notAModel = join(dir, 'notes.txt');
    await writeFile(notAModel, 'hello');
    await expect(loadLivenessModel(notAModel)).rejects.toThrow(
      /neither a model directory .* nor a Keras HDF5 file/,
    );
    const classifier = LivenessClassifier.fromModel(model, defaultMetadata('livenessnet-v1', 16, 16));
    await expect(classifier.classify({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(
      /face crop 0 is 4x4 but has 10 bytes/,
    );
    await classifier.close();
  });
});
