// The same LivenessNet training run (fixed seed, same data, same shuffles and dropout masks) on the wasm fast
// path and on the pure-JS cpu backend: per-epoch loss/accuracy side by side and the final weight difference.
// Data: NUAA frames resized to 32x32 (BGR, /255 as the original), training subjects 0001-0008, validation
// subjects 0009-0012, an evenly spaced subset per class. The cpu backend trains at about 1 image/s, hence the
// small default subset (96 training images x 3 epochs: about 5 minutes on cpu).
// Usage: node bench/equivalence.mjs [--backends wasm,cpu] [--train 96] [--val 96] [--epochs 3] [--seed 7]
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readImage, resizeBilinear } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { describeBackend } from '@face-liveness/livenessnet';
import { buildLivenessNet, selectTrainingBackend } from '@face-liveness/livenessnet/train';
import * as tf from '@tensorflow/tfjs-core';

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const backends = option('backends', 'wasm,cpu').split(',');
const trainCount = Number(option('train', 96));
const valCount = Number(option('val', 96));
const epochs = Number(option('epochs', 3));
const seed = Number(option('seed', 7));
const SIZE = 32;

function files(label, subjects, count) {
  const all = subjects.flatMap((s) => {
    const dir = sharedPath('data', 'nuaa', label, s);
    return readdirSync(dir)
      .sort()
      .map((f) => join(dir, f));
  });
  const step = all.length / count;
  return Array.from({ length: count }, (_, i) => all[Math.floor(i * step)]);
}

async function load(subjects, count) {
  const items = [
    ...files('fake', subjects, count / 2).map((f) => [f, 0]),
    ...files('real', subjects, count / 2).map((f) => [f, 1]),
  ];
  const pixels = new Float32Array(items.length * SIZE * SIZE * 3);
  for (const [i, [file]] of items.entries()) {
    const small = resizeBilinear(await readImage(file), SIZE, SIZE);
    for (let p = 0; p < SIZE * SIZE; p++) {
      for (let c = 0; c < 3; c++) pixels[(i * SIZE * SIZE + p) * 3 + c] = small.data[p * 3 + 2 - c] / 255;
    }
  }
  return { pixels, labels: items.map(([, label]) => label) };
}

/** mulberry32: tfjs draws dropout seeds and fit's shuffles from Math.random, so seeding it fixes both. */
function seededRandom(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function run(name, train, val) {
  await selectTrainingBackend({ backend: name });
  Math.random = seededRandom(seed);
  const toTensors = ({ pixels, labels }) => [
    tf.tensor4d(pixels, [labels.length, SIZE, SIZE, 3]),
    tf.oneHot(tf.tensor1d(labels, 'int32'), 2).cast('float32'),
  ];
  const [x, y] = toTensors(train);
  const [xv, yv] = toTensors(val);
  const model = buildLivenessNet({ seed });
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const start = performance.now();
  const history = await model.fit(x, y, {
    epochs,
    batchSize: 32,
    shuffle: true,
    validationData: [xv, yv],
    verbose: 0,
  });
  const seconds = (performance.now() - start) / 1000;
  const weights = model.getWeights().map((w) => w.dataSync().slice());
  tf.dispose([x, y, xv, yv]);
  model.dispose();
  return { name, description: describeBackend(), history: history.history, seconds, weights };
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores)`,
);
const train = await load(['0001', '0002', '0003', '0004', '0005', '0006', '0007', '0008'], trainCount);
const val = await load(['0009', '0010', '0011', '0012'], valCount);
console.log(
  `NUAA 32x32: ${trainCount} training images (subjects 1-8), ${valCount} validation (subjects 9-12), ${epochs} epochs, batch 32, Adam 1e-4, seed ${seed}`,
);
const results = [];
for (const name of backends) {
  const r = await run(name, train, val);
  results.push(r);
  console.log(
    `${r.description}: ${r.seconds.toFixed(1)} s (${((trainCount * epochs) / r.seconds).toFixed(1)} img/s incl. validation)`,
  );
  for (let e = 0; e < epochs; e++) {
    const h = r.history;
    console.log(
      `  epoch ${e + 1}: loss ${h.loss[e].toFixed(4)} acc ${h.acc[e].toFixed(4)}` +
        ` | val_loss ${h.val_loss[e].toFixed(4)} val_acc ${h.val_acc[e].toFixed(4)}`,
    );
  }
}
if (results.length === 2) {
  const [a, b] = results;
  let worst = 0;
  let scale = 0;
  a.weights.forEach((w, i) => {
    for (let j = 0; j < w.length; j++) {
      worst = Math.max(worst, Math.abs(w[j] - b.weights[i][j]));
      scale = Math.max(scale, Math.abs(b.weights[i][j]));
    }
  });
  const last = epochs - 1;
  console.log(
    `${a.name} vs ${b.name}: final val_acc ${a.history.val_acc[last].toFixed(4)} vs ${b.history.val_acc[last].toFixed(4)},` +
      ` val_loss ${a.history.val_loss[last].toFixed(4)} vs ${b.history.val_loss[last].toFixed(4)},` +
      ` max |weight difference| ${worst.toExponential(2)} (largest weight ${scale.toFixed(3)})`,
  );
}
