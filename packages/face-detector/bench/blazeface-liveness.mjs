// What the liveness classifier sees through each detector: the original LivenessNet
// (shared/models/seed-livenessnet) on the face crop from OpenCV res10's box, from BlazeFace's own
// box and from BlazeFace's res10-calibrated box, on the NUAA and MSU-MFSD evaluation split.
// Run: npx tsc -b packages/face-detector packages/livenessnet && node packages/face-detector/bench/blazeface-liveness.mjs
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipBox, ModelStore } from '@face-liveness/core';
import { sharedDir } from '@face-liveness/core/testing';
import { cropFace, LivenessClassifier, readImageFor } from '@face-liveness/livenessnet';
import { BlazeFaceDetector, calibrateBox, RES10_CALIBRATION } from '../dist/index.js';
import { datasetOf, isCalibration, match, res10Faces } from './blazeface-data.mjs';

const classifier = await LivenessClassifier.load(join(sharedDir(), 'models/seed-livenessnet/liveness.model'));
const dir = await mkdtemp(join(tmpdir(), 'blazeface-liveness-'));
const detector = await BlazeFaceDetector.create({ store: new ModelStore(dir), boxes: 'blazeface' });

const items = res10Faces().filter(
  (r) => ['NUAA', 'MSU-MFSD'].includes(datasetOf(r.image)) && !isCalibration(r.image) && r.faces.length > 0,
);
const sources = { res10: [], 'BlazeFace own': [], 'BlazeFace calibrated': [] };
const live = [];
let unmatched = 0;
for (const item of items) {
  const frame = await readImageFor(classifier.metadata, item.path);
  const res10 = item.faces[0]; // res10's best face
  const own = (await detector.detect(frame)).map((f) => f.box);
  const pair = match([res10], own)[0];
  if (!pair || pair[2] < 0.3) {
    unmatched++;
    continue;
  }
  const box = own[pair[1]];
  sources.res10.push(cropFace(frame, res10));
  sources['BlazeFace own'].push(cropFace(frame, box));
  sources['BlazeFace calibrated'].push(
    cropFace(frame, clipBox(calibrateBox(box, RES10_CALIBRATION), frame.width, frame.height)),
  );
  live.push(item.image.includes('/real/'));
}
await detector.close();
await rm(dir, { recursive: true, force: true });

const results = {};
for (const [name, crops] of Object.entries(sources)) results[name] = await classifier.classifyBatch(crops);
classifier.close();

console.log(
  `original LivenessNet on ${live.length} faces (${live.filter(Boolean).length} live; ${unmatched} images without a matching BlazeFace face)`,
);
console.log(
  '| crop from | accuracy | mean P(live) live / attack | mean abs. P(live) change vs res10 crop | same label as res10 crop |',
);
console.log('|---|---|---|---|---|');
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
for (const [name, rows] of Object.entries(results)) {
  const correct = rows.filter((r, i) => (r.label === 'real') === live[i]).length;
  const pLive = mean(rows.filter((_, i) => live[i]).map((r) => r.score));
  const pAttack = mean(rows.filter((_, i) => !live[i]).map((r) => r.score));
  const change = mean(rows.map((r, i) => Math.abs(r.score - results.res10[i].score)));
  const same = rows.filter((r, i) => r.label === results.res10[i].label).length;
  console.log(
    `| ${name} | ${((100 * correct) / rows.length).toFixed(1)}% | ${pLive.toFixed(3)} / ${pAttack.toFixed(3)} | ${change.toFixed(3)} | ${((100 * same) / rows.length).toFixed(1)}% |`,
  );
}
