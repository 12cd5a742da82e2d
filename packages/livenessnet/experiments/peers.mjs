// Scores the original LivenessNet and the two peers on one role of experiments/split.json (default: the
// held-out validation subjects), faces found by res10 on the full frames, each peer with its own crop
// recipe and preprocessing. Writes per-image scores (P(live)) as JSON lines for metrics.mjs.
//   node experiments/peers.mjs [--role validation] [--out experiments/results/peers-validation.jsonl]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cropFrame, readImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { LivenessClassifier } from '@face-liveness/livenessnet';
import { silentFaceInput } from '@face-liveness/minifasnet';
import * as ort from 'onnxruntime-node';
import { bestFace, createRes10 } from './lib/detect.mjs';
import { celebaCrop, celebaTensor, softmax } from './lib/peer-crops.mjs';
import { listRole } from './lib/split.mjs';

const { values: args } = parseArgs({
  options: { role: { type: 'string', default: 'validation' }, out: { type: 'string' } },
});
const out = args.out ?? new URL(`results/peers-${args.role}.jsonl`, import.meta.url).pathname;

const peerDir = (p) => sharedPath('models/peers', p);
const open = (p) => ort.InferenceSession.create(peerDir(p), { intraOpNumThreads: 1, interOpNumThreads: 1 });
const sessions = {
  v2: await open('minifasnet/2.7_80x80_MiniFASNetV2.onnx'),
  v1se: await open('minifasnet/4_0_0_80x80_MiniFASNetV1SE.onnx'),
  celebaBin: await open('celeba-spoof-minifasnet/AntiSpoofing_bin_1.5_128.onnx'),
  celebaPr: await open('celeba-spoof-minifasnet/AntiSpoofing_print-replay_1.5_128.onnx'),
};
const seed = await LivenessClassifier.load(sharedPath('models/seed-livenessnet/liveness.model'));
const detector = await createRes10();

async function run(session, data, size) {
  const input = new ort.Tensor('float32', data, [1, 3, size, size]);
  const result = await session.run({ input });
  const logits = Array.from(result.output.data);
  input.dispose();
  result.output.dispose();
  return softmax(logits);
}

const round = (v) => Math.round(v * 1e6) / 1e6;
const timings = { seed: 0, minifasnet: 0, celebaBin: 0 };
const rows = [];
const items = listRole(args.role).filter((i) => i.fullFrame);
for (const [n, item] of items.entries()) {
  const frame = await readImage(item.path);
  const face = await bestFace(detector, frame);
  const row = { image: item.image, label: item.label, source: item.source, subject: item.subject };
  if (item.attackType) row.attackType = item.attackType;
  if (face) {
    row.box = face.box.map((v) => Math.round(v * 10) / 10);
    row.faceScore = Math.round(face.score * 1e4) / 1e4;
    let t = performance.now();
    row.seed = round((await seed.classify(cropFrame(frame, face.box))).score);
    timings.seed += performance.now() - t;
    t = performance.now();
    const pV2 = await run(sessions.v2, silentFaceInput(frame, face.box, 2.7, 80), 80);
    const pV1se = await run(sessions.v1se, silentFaceInput(frame, face.box, 4.0, 80), 80);
    timings.minifasnet += performance.now() - t;
    // Class 1 is live; the official demo averages both models' softmax and takes the argmax.
    row.minifasnetV2 = round(pV2[1]);
    row.minifasnetV1se = round(pV1se[1]);
    row.minifasnet = round((pV2[1] + pV1se[1]) / 2);
    const mean = pV2.map((p, i) => (p + pV1se[i]) / 2);
    row.minifasnetArgmaxLive = mean.indexOf(Math.max(...mean)) === 1;
    const crop = celebaCrop(frame, face.box, 1.5, 128);
    t = performance.now();
    row.celebaBin = round((await run(sessions.celebaBin, celebaTensor(crop, 'rgb'), 128))[0]);
    timings.celebaBin += performance.now() - t;
    row.celebaBinBgr = round((await run(sessions.celebaBin, celebaTensor(crop, 'bgr'), 128))[0]);
    row.celebaPrintReplay = round((await run(sessions.celebaPr, celebaTensor(crop, 'rgb'), 128))[0]);
  }
  rows.push(row);
  if ((n + 1) % 100 === 0) process.stderr.write(`${n + 1}/${items.length}\n`);
}
writeFileSync(out, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
const faces = rows.filter((r) => r.box).length;
process.stderr.write(
  `${rows.length} images, ${faces} with a face; ms per face: ${Object.entries(timings)
    .map(([k, v]) => `${k} ${(v / faces).toFixed(2)}`)
    .join(', ')}\nwrote ${out}\n`,
);
await seed.close();
await detector.close();
for (const s of Object.values(sessions)) await s.release();
