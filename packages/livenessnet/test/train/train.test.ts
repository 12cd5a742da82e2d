import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LivenessClassifier } from '../../src/classifier.js';
import { listDataset, loadDataset } from '../../src/dataset.js';
import { loadLivenessModel } from '../../src/io/load.js';
import { train } from '../../src/train/train.js';
import { TRAINING_STATE_JSON } from '../../src/train/training-state.js';

const SEED_SAMPLE = sharedPath('data/seed-sample');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livenessnet-train-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A small dataset: the first `n` images of each class of seed-sample, in nested folders. */
async function smallDataset(name: string, n: number): Promise<string> {
  const root = join(dir, name);
  for (const label of ['real', 'fake']) {
    const files = (await readdir(join(SEED_SAMPLE, label))).sort().slice(0, n);
    await mkdir(join(root, label, 'nested'), { recursive: true });
    for (const f of files) await copyFile(join(SEED_SAMPLE, label, f), join(root, label, 'nested', f));
  }
  return root;
}

describe('datasets', () => {
  it('names an empty class folder and a missing one', async (ctx) => {
    needFiles(ctx, SEED_SAMPLE);
    const root = await smallDataset('empty-class', 1);
    await rm(join(root, 'fake'), { recursive: true });
    await expect(listDataset(root)).rejects.toThrow(/has no fake\/ folder/);
    await mkdir(join(root, 'fake', 'sub'), { recursive: true });
    await writeFile(join(root, 'fake', 'sub', 'notes.txt'), 'not an image');
    await expect(listDataset(root)).rejects.toThrow(InvalidInputError);
    await expect(listDataset(root)).rejects.toThrow(/class folder .*fake holds no images/);
  });

  it('skips unreadable images with their names, or fails on them when asked', async (ctx) => {
    needFiles(ctx, SEED_SAMPLE);
    const root = await smallDataset('unreadable', 2);
    const broken = join(root, 'real', 'broken.jpg');
    await writeFile(broken, 'definitely not a jpeg');
    const skipped: string[] = [];
    const data = await loadDataset(root, { width: 16, height: 16, onSkip: (s) => skipped.push(s.path) });
    expect(skipped).toEqual([broken]);
    expect(data.frames).toHaveLength(4);
    expect(data.frames[0]).toMatchObject({ width: 16, height: 16 });
    await expect(loadDataset(root, { width: 16, height: 16, onError: 'fail' })).rejects.toThrow(
      /cannot use .*broken\.jpg: cannot decode image/,
    );
    // a class whose every image is unreadable is an error, not an empty class
    const allBad = await smallDataset('all-bad', 1);
    await rm(join(allBad, 'fake'), { recursive: true });
    await mkdir(join(allBad, 'fake'));
    await writeFile(join(allBad, 'fake', 'x.png'), 'nope');
    await expect(loadDataset(allBad, { width: 16, height: 16 })).rejects.toThrow(/no usable image in .*fake/);
  });
});

describe('train', () => {
  it('trains end to end: checkpoints, model with metadata, reports appended, plot, then resumes', async (ctx) => {
    needFiles(ctx, SEED_SAMPLE);
    const data = await smallDataset('tiny', 3);
    const out = join(dir, 'run');
    const options = {
      trainDir: data,
      valDir: data,
      modelPath: join(out, 'model'),
      plotPath: join(out, 'plot.png'),
      evaluationPath: join(out, 'result.txt'),
      checkpointDir: join(out, 'ckpt'),
      epochs: 2,
      batchSize: 4,
      width: 16,
      height: 16,
      seed: 7,
    };
    const epochs: number[] = [];
    const result = await train({ ...options, callbacks: { onEpochEnd: (log) => epochs.push(log.epoch) } });
    expect(epochs).toEqual([1, 2]);
    expect(result.logs[1].learningRate).toBeCloseTo(1e-4 / (1 + (1e-4 / 2) * 2), 12);
    for (const path of [result.checkpoints.bestLoss, result.checkpoints.bestAcc, options.modelPath]) {
      expect(existsSync(join(path, 'model.json'))).toBe(true);
    }
    expect(result.reports.map((r) => r.name)).toEqual(['last', 'best_loss', 'best_acc']);
    const text = readFileSync(options.evaluationPath, 'utf8');
    expect(text.match(/weighted avg/g)).toHaveLength(3);
    expect(text).toMatch(/ {14}precision {4}recall {2}f1-score {3}support\n\n {8}fake {3}\d\.\d{6}/);
    expect(readFileSync(options.plotPath).subarray(1, 4).toString()).toBe('PNG');
    expect(await readImage(options.plotPath)).toMatchObject({ width: 800, height: 560 });

    const saved = await LivenessClassifier.load(options.modelPath);
    expect(saved.metadata).toMatchObject({ inputSize: { width: 16, height: 16 }, channelOrder: 'RGB' });
    expect(saved.metadata.training).toMatchObject({ epochs: 2, iterations: 4, batchSize: 4, seed: 7 });
    expect(saved.metadata.trainedOn).toMatch(/train .*tiny \(3 real, 3 fake\)/);
    await saved.close();

    // the same seed gives the same run; no tensor outlives it
    const tensors = tf.memory().numTensors;
    const again = await train({
      ...options,
      modelPath: join(out, 'again'),
      checkpointDir: join(out, 'ckpt2'),
      evaluationPath: join(out, 'again.txt'),
      plotPath: join(out, 'again.png'),
    });
    expect(again.history).toEqual(result.history);
    expect(tf.memory().numTensors).toBe(tensors);

    await expect(train({ ...options, width: 32, height: 32 })).rejects.toThrow(
      /takes 16x16 inputs, not the 32x32/,
    );
    const resumed = await train({ ...options, epochs: 1 });
    expect(resumed.logs[0].epoch).toBe(3);
    expect(resumed.metadata.training).toMatchObject({ epochs: 3, iterations: 6 });
    expect(readFileSync(options.evaluationPath, 'utf8').match(/weighted avg/g)).toHaveLength(6);
  });

  it('writes the plot, the reports and the checkpoints inside the model directory unless told: nothing into the cwd', async (ctx) => {
    needFiles(ctx, SEED_SAMPLE);
    const data = await smallDataset('defaults', 2);
    const cwd = join(dir, 'cwd');
    await mkdir(cwd);
    const previous = process.cwd();
    process.chdir(cwd);
    try {
      const result = await train({
        trainDir: data,
        valDir: data,
        modelPath: 'model',
        epochs: 1,
        batchSize: 4,
        width: 16,
        height: 16,
        seed: 3,
      });
      const model = join(cwd, 'model');
      expect(result).toMatchObject({
        modelPath: model,
        plotPath: join(model, 'plot.png'),
        evaluationPath: join(model, 'result.txt'),
        checkpoints: {
          bestLoss: join(model, 'checkpoints', 'best_loss'),
          bestAcc: join(model, 'checkpoints', 'best_acc'),
        },
      });
      expect(await readdir(cwd)).toEqual(['model']);
      expect((await readdir(model)).sort()).toEqual([
        'checkpoints',
        'model.json',
        'plot.png',
        'result.txt',
        'training-state.bin',
        'training-state.json',
        'weights.bin',
      ]);
    } finally {
      process.chdir(previous);
    }
  });

  it("resumes exactly: Adam's moments and the random streams continue, 1 + 1 epochs equal 2 epochs", async (ctx) => {
    needFiles(ctx, SEED_SAMPLE);
    const data = await smallDataset('resume', 3);
    const run = (name: string, epochs: number, messages: string[] = []) =>
      train({
        trainDir: data,
        valDir: data,
        modelPath: join(dir, name, 'model'),
        plotPath: join(dir, name, 'plot.png'),
        evaluationPath: join(dir, name, 'result.txt'),
        checkpointDir: join(dir, name, 'ckpt'),
        epochs,
        learningRate: 1e-3,
        decay: 1e-3 / 2,
        batchSize: 2,
        width: 16,
        height: 16,
        seed: 11,
        callbacks: { onMessage: (text) => messages.push(text) },
      });
    const whole = await run('whole', 2);
    await run('split', 1);
    const messages: string[] = [];
    const tensors = tf.memory().numTensors;
    const resumed = await run('split', 1, messages);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(messages[0]).toBe(
      "resuming at epoch 1, step 3: Adam's moments restored, random streams continued",
    );
    expect(resumed.logs[0].epoch).toBe(2);
    expect(Math.abs(resumed.logs[0].loss - whole.logs[1].loss)).toBeLessThan(1e-5);
    expect(Math.abs(resumed.logs[0].val_loss - whole.logs[1].val_loss)).toBeLessThan(1e-5);
    const weights = async (name: string) => {
      const { model } = await loadLivenessModel(join(dir, name, 'model'));
      const values = model.getWeights().map((w) => w.dataSync());
      model.dispose();
      return values;
    };
    const [a, b] = [await weights('whole'), await weights('split')];
    const worst = Math.max(...a.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - b[i][j])))));
    expect(worst).toBeLessThan(1e-5);

    // the same resume without the saved state restarts Adam and the streams, and ends elsewhere
    await run('cold', 1);
    await rm(join(dir, 'cold', 'model', TRAINING_STATE_JSON));
    const coldMessages: string[] = [];
    const cold = await run('cold', 1, coldMessages);
    expect(coldMessages[0]).toMatch(/no training-state.json beside the model; Adam's moments start afresh/);
    expect(Math.abs(cold.logs[0].loss - whole.logs[1].loss)).toBeGreaterThan(1e-3);
  });
});
