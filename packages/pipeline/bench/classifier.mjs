// What the default classifier costs per face: the bundled LivenessNet and MiniFASNet, each framing the face in a
// 640x480 NUAA frame itself (crop, resize and scaling included), and their mean (loadDefaultClassifier), batch 1.
// Best of several chunks; CPU time of this process in brackets (on a shared machine the wall time measures the
// neighbours too). One thread each: tfjs wasm without threads, ONNX Runtime with intraOpNumThreads 1.
//   npm run bench -w @face-liveness/pipeline     (or node bench/classifier.mjs after npx tsc -b packages/pipeline)
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { readImage } from '@face-liveness/core';
import { bestTiming, formatTiming, sharedPath } from '@face-liveness/core/testing';
import { createFaceDetector } from '@face-liveness/face-detector';
import { BUNDLED_MODEL_DIR, cropFace, describeBackend, LivenessClassifier } from '@face-liveness/livenessnet';
import { MiniFasNetClassifier } from '@face-liveness/minifasnet';
import { loadDefaultClassifier } from '../dist/index.js';

const FRAME = sharedPath('data/nuaa/real/0007');
if (!existsSync(FRAME)) {
  console.log(`skipped: needs ${FRAME}`);
  process.exit(0);
}
process.env.FACE_LIVENESS_MINIFASNET_DIR ??= sharedPath('models/peers/minifasnet');
const frame = await readImage(`${FRAME}/${readdirSync(FRAME).sort()[0]}`);
const detector = await createFaceDetector();
const [face] = await detector.detect(frame);
await detector.close();
const { box } = face;

const ours = await LivenessClassifier.load(BUNDLED_MODEL_DIR, { backend: 'wasm' });
const peer = await MiniFasNetClassifier.load('minifasnet');
const { architecture, inputSize } = ours.metadata;
const chosen = await loadDefaultClassifier();
// warm-up (operator creation), then the best of 7 chunks of 100 faces
const best = async (fn) => {
  await fn();
  return `${formatTiming(await bestTiming([7, 100], fn), 2)} ms/face`;
};
const lines = [
  `face ${box.map(Math.round).join(',')} in a ${frame.width}x${frame.height} frame; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores); ${describeBackend()}`,
  `bundled LivenessNet (${architecture} ${inputSize.width}x${inputSize.height}): ${await best(() => ours.classify(cropFace(frame, box, { margin: ours.cropMargin })))}`,
  `MiniFASNet (V2 + V1SE): ${await best(() => peer.classifyFace(frame, box))}`,
  `default classifier (${chosen.name}): ${await best(() => chosen.classifier.classifyFace?.(frame, box) ?? chosen.classifier.classify(frame))}`,
];
console.log(lines.join('\n'));
await Promise.all([ours.close(), peer.close(), chosen.classifier.close()]);
