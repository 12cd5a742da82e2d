// Trains one seed of a recipe whose targets train() cannot express: each crop's P(real) target is
// (1 - distill) * its label + distill * the MiniFASNet teacher's P(live) (<data>/teacher.json from
// prepare.mjs --teacher; crops without a teacher score keep their label), with photometric augmentation
// (another camera's exposure, white balance, blur, noise and JPEG; grayscale) before the Keras-style
// geometric one. Same wasm training kernels, Keras Adam and binary cross-entropy as train(). Dev plays
// no part: the model is the last epoch, so nothing here can be tuned on it. --ft W adds Silent-Face's
// auxiliary Fourier-spectrum head (lib/fourier.mjs) on the last feature map at 1/8 of the input, trained with
// mean squared error at weight W beside the classification loss; only the classifier is saved. --ema D saves
// the exponential moving average of the weights (batch-norm statistics included) over the training steps, decay D,
// instead of the last step's: the end of a run then depends less on its last batches. --tight P replaces a crop,
// with probability P, by its face-only centre scaled up (the context a tight source crop lacks).
//   node experiments/distill-run.mjs --data DIR --run DIR [--architecture livenessnet-ds] [--size 80]
//        [--margin 0.85] [--epochs 8] [--batch 32] [--lr 1e-3] [--seed 1] [--distill 0.5]
//        [--photometric 0.5] [--grayscale 0.1] [--ft 0] [--ema 0] [--tight 0]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cropFrame, resizeBilinear } from '@face-liveness/core';
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
import * as tfl from '@tensorflow/tfjs-layers';
import { fourierTarget } from './lib/fourier.mjs';

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
    ft: { type: 'string', default: '0' },
    ema: { type: 'string', default: '0' },
    tight: { type: 'string', default: '0' },
  },
});
if (!args.data || !args.run) throw new Error('--data DIR and --run DIR are required');
const [size, epochs, batchSize, lr, seed] = ['size', 'epochs', 'batch', 'lr', 'seed'].map((k) =>
  Number(args[k]),
);
const [distill, photometric, grayscale, ftWeight, emaDecay, tight] = [
  'distill',
  'photometric',
  'grayscale',
  'ft',
  'ema',
  'tight',
].map((k) => Number(args[k]));
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
const ftSize = size / 8;
const trainer = ftWeight > 0 ? withFourierHead(model) : model;
trainer.compile({
  optimizer,
  loss: ftWeight > 0 ? ['binaryCrossentropy', 'meanSquaredError'] : 'binaryCrossentropy',
  ...(ftWeight > 0 && { lossWeights: [1, ftWeight] }),
});

/** Silent-Face's FTGenerator (3x3 conv 128, 64, 1 with batch norm and ReLU) on the last 1/8-size map. */
function withFourierHead(classifier) {
  const feature = classifier.layers.findLast((l) => l.outputShape[1] === ftSize).output;
  const init = (n) => tfl.initializers.glorotUniform({ seed: seed + 10_000 + n });
  let x = feature;
  for (const [n, filters] of [128, 64].entries()) {
    x = tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'same', kernelInitializer: init(n) }).apply(x);
    x = tfl.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }).apply(x);
    x = tfl.layers.activation({ activation: 'relu' }).apply(x);
  }
  const ft = tfl.layers
    .conv2d({ filters: 1, kernelSize: 3, padding: 'same', kernelInitializer: init(2) })
    .apply(x);
  // Flat, because tfjs-layers reduces a loss over the last axis only and then adds the outputs' losses.
  return tfl.model({
    inputs: classifier.inputs,
    outputs: [classifier.outputs[0], tfl.layers.flatten().apply(ft)],
  });
}
const averaged = emaDecay > 0 ? model.weights.map((w) => tf.keep(tf.clone(w.read()))) : [];

/** One step of the weights' moving average (the first steps, while it warms up, weigh more: 1 - 1/(step+1)). */
function updateAverage(step) {
  const decay = Math.min(emaDecay, 1 - 1 / (step + 1));
  model.weights.forEach((w, i) => {
    const next = tf.tidy(() => tf.add(tf.mul(averaged[i], decay), tf.mul(w.read(), 1 - decay)));
    averaged[i].dispose();
    averaged[i] = tf.keep(next);
  });
}
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

/**
 * The crop a source that gives only the face would yield: the centre of this 2.7x crop that a margin of 0 to 0.3
 * keeps, scaled back up to the input size (the context cues gone; the face and its label unchanged).
 */
function tightCrop(frame) {
  const keep = (1 + 2 * rng.uniform(0, 0.3)) / (1 + 2 * Number(args.margin));
  const [w, h] = [frame.width * keep, frame.height * keep];
  const [x, y] = [(frame.width - w) / 2, (frame.height - h) / 2];
  return resizeBilinear(cropFrame(frame, [x, y, x + w, y + h]), frame.width, frame.height);
}

async function augment(frame) {
  let f = frame;
  if (tight > 0 && rng.chance(tight)) f = tightCrop(f);
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
    const ft =
      ftWeight > 0
        ? tf.tensor2d(
            frames.flatMap((f) => Array.from(fourierTarget(f, ftSize))),
            [frames.length, ftSize * ftSize],
          )
        : undefined;
    const loss = await withRandom(() => trainer.trainOnBatch(x, ft ? [y, ft] : y));
    tf.dispose([x, y, ft].filter(Boolean));
    if (emaDecay > 0) updateAverage(optimizer.step);
    lossSum += (Array.isArray(loss) ? loss[0] : loss) * indices.length;
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
if (emaDecay > 0) model.weights.forEach((w, i) => w.write(averaged[i]));
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
