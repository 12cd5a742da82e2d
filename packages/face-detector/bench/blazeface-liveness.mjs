// What the liveness classifier sees through each detector: the original LivenessNet
// (shared/models/seed-livenessnet) on the face crop from OpenCV res10's box, from BlazeFace's own
// box and from its res10-calibrated box (short and full range), on the NUAA and MSU-MFSD
// evaluation split.
// Run: npx tsc -b packages/face-detector packages/livenessnet && node packages/face-detector/bench/blazeface-liveness.mjs
import { join } from 'node:path';
import { calibrateBox, clipBox } from '@face-liveness/core';
import { sharedDir } from '@face-liveness/core/testing';
import { cropFace, LivenessClassifier, readImageFor } from '@face-liveness/livenessnet';
import { BLAZEFACE_VARIANTS, BlazeFaceDetector } from '../dist/index.js';
import { datasetOf, isCalibration, match, res10Faces } from './blazeface-data.mjs';

const classifier = await LivenessClassifier.load(join(sharedDir(), 'models/seed-livenessnet/liveness.model'));
const detectors = {
  short: await BlazeFaceDetector.create({ boxes: 'blazeface', range: 'short' }),
  full: await BlazeFaceDetector.create({ boxes: 'blazeface', range: 'full' }),
};

const items = res10Faces().filter(
  (r) => ['NUAA', 'MSU-MFSD'].includes(datasetOf(r.image)) && !isCalibration(r.image) && r.faces.length > 0,
);
const sources = { res10: [] };
for (const range of Object.keys(detectors)) {
  sources[`BlazeFace ${range}-range, own box`] = [];
  sources[`BlazeFace ${range}-range, calibrated box`] = [];
}
const live = [];
let unmatched = 0;
for (const item of items) {
  const frame = await readImageFor(classifier.metadata, item.path);
  const res10 = item.faces[0]; // res10's best face
  const boxes = {};
  for (const [range, detector] of Object.entries(detectors)) {
    const own = (await detector.detect(frame)).map((f) => f.box);
    const pair = match([res10], own)[0];
    if (pair && pair[2] >= 0.3) boxes[range] = own[pair[1]];
  }
  if (Object.keys(boxes).length < 2) {
    unmatched++;
    continue;
  }
  sources.res10.push(cropFace(frame, res10));
  for (const [range, box] of Object.entries(boxes)) {
    const calibrated = calibrateBox(box, BLAZEFACE_VARIANTS[range].calibration);
    sources[`BlazeFace ${range}-range, own box`].push(cropFace(frame, box));
    sources[`BlazeFace ${range}-range, calibrated box`].push(
      cropFace(frame, clipBox(calibrated, frame.width, frame.height)),
    );
  }
  live.push(item.image.includes('/real/'));
}
for (const detector of Object.values(detectors)) await detector.close();

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
