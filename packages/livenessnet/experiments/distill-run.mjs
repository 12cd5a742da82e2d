// Trains one seed of a recipe whose targets train() cannot express: each crop's P(real) target is
// (1 - distill) * its label + distill * the MiniFASNet teacher's P(live) (<data>/teacher.json from
// prepare.mjs --teacher; crops without a teacher score keep their label), with photometric augmentation
// (another camera's exposure, white balance, blur, noise and JPEG; grayscale) before the Keras-style
// geometric one. Same wasm training kernels, Keras Adam and binary cross-entropy as train(). Dev plays
// no part: the model is the last epoch, so nothing here can be tuned on it.
//   node experiments/distill-run.mjs --data DIR --run DIR [--architecture livenessnet-ds] [--size 80]
//        [--margin 0.85] [--epochs 8] [--batch 32] [--lr 1e-3] [--seed 1] [--distill 0.5]
//        [--photometric 0.5] [--grayscale 0.1]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { framesToTensor } from '@face-liveness/livenessnet';
import { jitterPhotometric } from '@face-liveness/livenessnet/synth';
import {
  buildArchitecture,
  createRng,
  DecayedAdam,
  defaultMetadata,
  loadDataset,
  randomAugment,
  saveLivenessModel,
  selectTrainingBackend,
} from '@face-liveness/livenessnet/train';
import * as tf from '@tensorflow/tfjs-core';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    run: { type: 'string' },
    architecture: { type: 'string', default: 'livenessnet-ds' },
    size: { type: 'string', default: '80' },
    margin: { type: 'string', default: '0.85' },
    epochs: { type: 'string', default: '8' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string', default: '1e-3' },
    seed: { type: 'string', default: '1' },
    distill: { type: 'string', default: '0.5' },
    photometric: { type: 'string', default: '0.5' },
    grayscale: { type: 'string', default: '0.1' },
  },
});
if (!args.data || !args.run) throw new Error('--data DIR and --run DIR are required');
const [size, epochs, batchSize, lr, seed] = ['size', 'epochs', 'batch', 'lr', 'seed'].map((k) =>
  Number(args[k]),
);
const [distill, photometric, grayscale] = ['distill', 'photometric', 'grayscale'].map((k) => Number(args[k]));
mkdirSync(args.run, { recursive: true });
await selectTrainingBackend({ backend: 'wasm' });

const trainDir = join(args.data, 'train');
const teacherPath = join(args.data, 'teacher.json');
const teacher = existsSync(teacherPath) ? JSON.parse(readFileSync(teacherPath, 'utf8')) : {};
const data = await loadDataset(trainDir, { width: size, height: size });
const targets = data.items.map((item) => {
  const t = teacher[item.relativePath];
  return t === undefined ? item.labelIndex : (1 - distill) * item.labelIndex + distill * t;
});
const taught = data.items.filter((i) => teacher[i.relativePath] !== undefined).length;
process.stdout.write(
  `${data.frames.length} crops (${taught} with a teacher score), ${data.skipped.length} skipped\n`,
);

const model = buildArchitecture(args.architecture, { width: size, height: size, seed });
const optimizer = new DecayedAdam(lr, lr / epochs);
model.compile({ optimizer, loss: 'binaryCrossentropy' });
const rng = createRng(seed);
const dropoutRng = createRng(seed + 1_000_003);
const metadata = defaultMetadata(args.architecture, size, size);

function toGray(frame) {
  const out = new Uint8Array(frame.data.length);
  for (let i = 0; i < out.length; i += 3) {
    const y = Math.round(0.299 * frame.data[i] + 0.587 * frame.data[i + 1] + 0.114 * frame.data[i + 2]);
    out[i] = out[i + 1] = out[i + 2] = y;
  }
  return { ...frame, data: out };
}

async function augment(frame) {
  let f = frame;
  if (rng.chance(photometric)) f = await jitterPhotometric(f, rng);
  if (rng.chance(grayscale)) f = toGray(f);
  return randomAugment(f, rng);
}

// tfjs seeds dropout masks from Math.random: the run's own stream makes a seeded run reproducible.
async function withRandom(run) {
  const original = Math.random;
  Math.random = () => dropoutRng.next();
  try {
    return await run();
  } finally {
    Math.random = original;
  }
}

const started = Date.now();
const logs = [];
for (let epoch = 1; epoch <= epochs; epoch++) {
  const t0 = Date.now();
  const order = Array.from({ length: data.frames.length }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  let lossSum = 0;
  for (let b = 0; b * batchSize < order.length; b++) {
    const indices = order.slice(b * batchSize, (b + 1) * batchSize);
    const frames = [];
    for (const i of indices) frames.push(await augment(data.frames[i]));
    const x = framesToTensor(frames, metadata);
    const y = tf.tensor2d(
      indices.flatMap((i) => [1 - targets[i], targets[i]]),
      [indices.length, 2],
    );
    const loss = await withRandom(() => model.trainOnBatch(x, y));
    tf.dispose([x, y]);
    lossSum += loss * indices.length;
  }
  const seconds = (Date.now() - t0) / 1000;
  const log = {
    epoch,
    loss: lossSum / order.length,
    seconds,
    imagesPerSecond: order.length / seconds,
  };
  logs.push(log);
  process.stdout.write(
    `epoch ${epoch} loss ${log.loss.toFixed(4)} ${seconds.toFixed(0)}s ${log.imagesPerSecond.toFixed(1)} img/s\n`,
  );
}
await saveLivenessModel(model, join(args.run, 'model'), {
  ...metadata,
  preprocessing: { ...metadata.preprocessing, cropMargin: Number(args.margin) },
  trainedOn: `${trainDir}: ${data.frames.length} crops; soft targets ${distill} x MiniFASNet teacher`,
  training: { epochs, iterations: optimizer.step, learningRate: lr, decay: lr / epochs, batchSize, seed },
});
writeFileSync(
  join(args.run, 'run.json'),
  `${JSON.stringify({ args, minutes: (Date.now() - started) / 60000, taught, logs }, null, 2)}\n`,
);
