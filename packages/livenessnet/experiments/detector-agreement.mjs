// How much the verdict depends on the face detector (issue #17: "installing res10 does not change verdicts
// beyond a documented tolerance"): the default engine on the dev subjects' full frames (NUAA, MSU-MFSD), once
// with BlazeFace (the default without res10) and once with res10 (converted from ../shared in memory), each
// frame's most confident face; for the default classifier, the bundled LivenessNet alone and MiniFASNet alone. Prints per classifier and dataset: faces found, the mean and 95th percentile of |P(live)
// difference| and the share of frames whose verdict agrees. Dev only: nothing here looks at validation.
//   node experiments/detector-agreement.mjs [--role dev] [--out experiments/results/detector-agreement.md]
// (from packages/livenessnet, after `npx tsc -b packages/pipeline`)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { convertTensorflow } from '@face-liveness/face-detector/convert';
import { createLivenessEngine } from '@face-liveness/pipeline';
import { listRole } from './lib/split.mjs';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'dev' },
    out: { type: 'string', default: new URL('results/detector-agreement.md', import.meta.url).pathname },
  },
});
if (args.role === 'validation') throw new Error('detector agreement is measured on dev only');

const dir = mkdtempSync(join(tmpdir(), 'detector-agreement-'));
const res10 = join(dir, 'res10.onnx');
writeFileSync(
  res10,
  convertTensorflow({
    pb: readFileSync(sharedPath('models/res10-tensorflow/opencv_face_detector_uint8.pb')),
    pbtxt: readFileSync(sharedPath('models/res10-tensorflow/opencv_face_detector.pbtxt'), 'utf8'),
  }),
);
// The named MiniFASNet's files are ../shared's in a checkout.
process.env.FACE_LIVENESS_MINIFASNET_DIR ??= sharedPath('models/peers/minifasnet');
const items = listRole(args.role).filter((i) => i.fullFrame);
const byClassifier = {};
for (const classifierModel of ['default', 'livenessnet', 'minifasnet']) {
  const common = { classifierModel, landmarker: null };
  const engines = {
    blazeface: await createLivenessEngine({ ...common, detectorKind: 'blazeface' }),
    res10: await createLivenessEngine({ ...common, detectorKind: 'res10', detectorModel: res10 }),
  };
  const bySet = (byClassifier[classifierModel] = {});
  for (const item of items) {
    const frame = await readImage(item.path);
    const best = {};
    for (const [name, engine] of Object.entries(engines)) {
      const result = await engine.analyzeImage(frame, { orientation: 0 });
      best[name] = result.faces.reduce(
        (a, f) => (!a || f.detectionScore > a.detectionScore ? f : a),
        undefined,
      );
    }
    (bySet[item.source] ??= []).push(best);
  }
  await Promise.all(Object.values(engines).map((e) => e.close()));
}
rmSync(dir, { recursive: true, force: true });

const pct = (v) => `${(v * 100).toFixed(1)}%`;
const lines = [
  '# Verdicts with BlazeFace crops against res10 crops',
  '',
  `\`node experiments/detector-agreement.mjs\` (${new Date().toISOString().slice(0, 16)} UTC): the engine (no landmarks; each classifier at its own threshold) on the ${args.role} subjects' full frames of split.json v2, each frame's most confident face, BlazeFace short range vs res10 (letterboxed).`,
  '',
  '| classifier | dataset | frames | faces BlazeFace / res10 | both | mean abs P(live) difference | 95th percentile | verdicts agree |',
  '|---|---|---|---|---|---|---|---|',
];
for (const [classifier, bySet] of Object.entries(byClassifier))
  for (const [set, rows] of Object.entries(bySet)) {
    const both = rows.filter((r) => r.blazeface && r.res10);
    const diffs = both.map((r) => Math.abs(r.blazeface.score - r.res10.score)).sort((a, b) => a - b);
    const mean = diffs.reduce((a, b) => a + b, 0) / Math.max(1, diffs.length);
    const p95 = diffs[Math.min(diffs.length - 1, Math.floor(0.95 * diffs.length))] ?? 0;
    const agree = both.filter((r) => r.blazeface.verdict === r.res10.verdict).length;
    lines.push(
      `| ${classifier} | ${set} | ${rows.length} | ${rows.filter((r) => r.blazeface).length} / ${rows.filter((r) => r.res10).length} | ${both.length} | ${mean.toFixed(3)} | ${p95.toFixed(3)} | ${agree}/${both.length} (${pct(agree / Math.max(1, both.length))}) |`,
    );
  }
writeFileSync(args.out, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
