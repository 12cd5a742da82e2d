// Training and inference speed of LivenessNet (32x32x3, the original architecture) on every available tfjs
// backend: tfjs-node when installed, wasm (with this package's training kernels), cpu.
// Prints one line per backend: "BACKEND: N img/s training (batch 32) | X ms/face (batch 1) | Y ms/image (batch 64)",
// inference both through model.predict and through compilePredictor. Each figure is the best of several timed
// chunks: the machine is shared, and the best chunk is the one least disturbed by other processes. The same
// figures per CPU second of this process (user + system time: what one undisturbed core would give) follow in
// brackets; on a loaded machine wall-clock time overstates the cost by the share of the core others took.
// Usage: npm run bench -w @face-liveness/livenessnet [-- --backends wasm,cpu]
import { loadavg } from 'node:os';
import { bestTiming as best, formatTiming as both } from '@face-liveness/core/testing';
import { compilePredictor, describeBackend } from '@face-liveness/livenessnet';
import { buildLivenessNet, selectTrainingBackend } from '@face-liveness/livenessnet/train';
import * as tf from '@tensorflow/tfjs-core';

const arg = process.argv.indexOf('--backends');
const wanted = arg > 0 ? process.argv[arg + 1].split(',') : ['tensorflow', 'wasm', 'cpu'];
// [chunks, runs per chunk]. The cpu backend needs about 35 s per training step: two single-step chunks there.
const trainChunks = { tensorflow: [5, 6], wasm: [5, 6], cpu: [2, 1] };
const predictChunks = { tensorflow: [5, 100], wasm: [5, 100], cpu: [3, 10] };

async function bench(name) {
  try {
    await selectTrainingBackend({ backend: name });
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
  const step = await best(trainChunks[name], () => model.trainOnBatch(x, y));
  const imgPerSec = { wall: (32 * 1000) / step.wall, cpu: (32 * 1000) / step.cpu };

  const one = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 3);
  const many = tf.randomUniform([64, 32, 32, 3], 0, 1, 'float32', 4);
  const compiled = compilePredictor(model);
  const viaPredict = (input) => () => {
    const out = model.predict(input, { batchSize: 64 });
    out.dataSync();
    out.dispose();
  };
  const viaCompiled = (input) => () => {
    const out = compiled(input);
    out.dataSync();
    out.dispose();
  };
  const [chunks, runs] = predictChunks[name];
  const batched = [chunks, Math.ceil(runs / 20)];
  const ms = {
    face: await best(predictChunks[name], viaPredict(one)),
    faceCompiled: await best(predictChunks[name], viaCompiled(one)),
    image: await best(batched, viaPredict(many)),
    imageCompiled: await best(batched, viaCompiled(many)),
  };
  tf.engine().endScope();
  console.log(
    `${name}: ${both(imgPerSec, 1)} img/s training (32x32, batch 32)` +
      ` | inference ${both(ms.faceCompiled, 3)} ms/face (batch 1) and ${both(ms.imageCompiled, 3, 1 / 64)}` +
      ` ms/image (batch 64) compiled, ${both(ms.face, 3)} and ${both(ms.image, 3, 1 / 64)} via model.predict` +
      `  [${describeBackend()}]`,
  );
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores)`,
);
for (const name of wanted) await bench(name);
