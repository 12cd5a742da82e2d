// Training and inference speed of LivenessNet (32x32x3, the original architecture) on every available tfjs
// backend: tfjs-node when installed, wasm (with this package's training kernels), cpu.
// Prints one line per backend: "BACKEND: N img/s training (batch 32) | X ms/face (batch 1) | Y ms/image (batch 64)".
// Usage: npm run bench -w @face-liveness/livenessnet [-- --backends wasm,cpu]
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { buildLivenessNet, describeBackend, selectBackend } from '../dist/index.js';

const arg = process.argv.indexOf('--backends');
const wanted = arg > 0 ? process.argv[arg + 1].split(',') : ['tensorflow', 'wasm', 'cpu'];
// The cpu backend needs about 35 s per training step: time two steps there.
const trainSteps = { tensorflow: 30, wasm: 30, cpu: 2 };
const predictRuns = { tensorflow: 300, wasm: 300, cpu: 30 };

function timeIt(runs, fn) {
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - start) / runs;
}

async function bench(name) {
  try {
    await selectBackend({ backend: name });
  } catch (error) {
    console.log(`${name}: unavailable (${error.message})`);
    return;
  }
  tf.engine().startScope();
  const model = buildLivenessNet({ seed: 1 });
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const x = tf.randomUniform([32, 32, 32, 3], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([32], 0, 2, 'int32', 2), 2).cast('float32');
  await model.trainOnBatch(x, y); // warm-up: kernel setup, XNNPACK operator creation
  const steps = trainSteps[name];
  const start = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const imgPerSec = (32 * steps * 1000) / (performance.now() - start);

  const one = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 3);
  const many = tf.randomUniform([64, 32, 32, 3], 0, 1, 'float32', 4);
  const predict = (input) => {
    const out = model.predict(input);
    out.dataSync();
    out.dispose();
  };
  timeIt(10, () => predict(one));
  const msPerFace = timeIt(predictRuns[name], () => predict(one));
  const msPerImage = timeIt(Math.ceil(predictRuns[name] / 30), () => predict(many)) / 64;
  tf.engine().endScope();
  console.log(
    `${name}: ${imgPerSec.toFixed(1)} img/s training (32x32, batch 32, ${steps} steps)` +
      ` | ${msPerFace.toFixed(3)} ms/face inference (batch 1) | ${msPerImage.toFixed(3)} ms/image (batch 64)` +
      `  [${describeBackend()}]`,
  );
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores)`,
);
for (const name of wanted) await bench(name);
