// What one face costs through the public API: LivenessClassifier.classify on the bundled default model, batch 1,
// from a 160x160 crop (resize to the model's input and scaling included), against the same crop through tfjs-layers'
// model.predict (what the classifier ran before it used compilePredictor). wasm backend; best of several chunks,
// CPU time of this process in brackets (see bestTiming in @face-liveness/core/testing).
//   node bench/classifier.mjs          (after npx tsc -b packages/livenessnet)
import { loadavg } from 'node:os';
import { bestTiming as best, formatTiming as both } from '@face-liveness/core/testing';
import {
  BUNDLED_MODEL_DIR,
  describeBackend,
  framesToTensor,
  LivenessClassifier,
  loadLivenessModel,
} from '@face-liveness/livenessnet';
import * as tf from '@tensorflow/tfjs-core';

const classifier = await LivenessClassifier.load(BUNDLED_MODEL_DIR, { backend: 'wasm' });
// The same model as tfjs-layers builds it (the classifier runs it compiled, without tfjs-layers).
const { model } = await loadLivenessModel(BUNDLED_MODEL_DIR);
const size = 160;
const data = new Uint8Array(size * size * 3).map((_, i) => (i * 37) % 251);
const crop = { data, width: size, height: size };
const viaPredict = async () => {
  const out = tf.tidy(() => model.predict(framesToTensor([crop], classifier.metadata)));
  await out.data();
  out.dispose();
};
const chunks = [7, 200];
await classifier.classify(crop); // warm-up: XNNPACK operator creation
await viaPredict();
const classify = await best(chunks, () => classifier.classify(crop));
const predict = await best(chunks, viaPredict);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores); ${describeBackend()}\n` +
    `classify: ${both(classify, 3)} ms/face | via model.predict: ${both(predict, 3)} ms/face`,
);
await classifier.close();
model.dispose();
