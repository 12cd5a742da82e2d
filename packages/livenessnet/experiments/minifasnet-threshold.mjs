// MiniFASNet (@face-liveness/minifasnet) on the split: fixes each name's threshold at the equal-error
// point of the dev subjects, then reports validation at that threshold, beside LivenessNet's default
// and their engine ensemble (mean P(live), mean threshold). Also scores each model on the engine's
// clipped crop (`cropFace` with its cropMargin) to measure what Silent-Face's shifted window changes.
// Validation never influences a threshold. --community: the issue #17 protocol (protocol.mjs), whose dev and
// validation add split.json v2's livenessnet-community sources, detector crops where res10 finds the face
// again or else takes the crop whole (lib/score.mjs); the shipped thresholds are this protocol's.
//   node experiments/minifasnet-threshold.mjs [--community] [--dev-only] [--write-metadata] [--scores FILE.jsonl]
// (from packages/livenessnet, after `npx tsc -b packages/livenessnet packages/minifasnet`;
// --write-metadata stores the dev thresholds in packages/minifasnet/models/metadata.json)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { BUNDLED_MODEL_DIR, cropFace, LivenessClassifier } from '@face-liveness/livenessnet';
import { padMetrics } from '@face-liveness/livenessnet/evaluate';
import { MINIFASNET_METADATA_DIR, MINIFASNET_NAMES, MiniFasNetClassifier } from '@face-liveness/minifasnet';
import { facesOf, scoringBox } from './lib/faces.mjs';

// The named models' files are ../shared's (the package does not carry them).
process.env.FACE_LIVENESS_MINIFASNET_DIR ??= sharedPath('models/peers/minifasnet');

import { markdownTable, summarize } from './lib/metrics.mjs';
import { metricsBySet } from './lib/score.mjs';
import { listRole, readSplit } from './lib/split.mjs';

const { values: args } = parseArgs({
  options: {
    community: { type: 'boolean', default: false },
    'dev-only': { type: 'boolean', default: false },
    'write-metadata': { type: 'boolean', default: false },
    'faces-cache': { type: 'string', default: '/tmp/liveness-exp/faces.jsonl' },
    scores: { type: 'string' },
  },
});
const tag = args.community ? 'minifasnet-community' : 'minifasnet';
const results = (f) => new URL(`results/${tag}-${f}`, import.meta.url).pathname;
const ENSEMBLE = 'livenessnet+minifasnet';
const ours = await LivenessClassifier.load(BUNDLED_MODEL_DIR);
const models = Object.fromEntries(
  await Promise.all(MINIFASNET_NAMES.map(async (n) => [n, await MiniFasNetClassifier.load(n)])),
);
const ms = Object.fromEntries(MINIFASNET_NAMES.map((n) => [n, 0]));
const round = (v) => Number(v.toPrecision(6));

async function score(role) {
  const items = listRole(role, readSplit(), { community: args.community }).filter(
    (i) => i.fullFrame || i.isCrop,
  );
  const faces = await facesOf(items, args['faces-cache']);
  const rows = [];
  for (const item of items) {
    const row = { image: item.image, label: item.label, source: item.source, subject: item.subject };
    if (item.attackType) row.attackType = item.attackType;
    const frame = await readImage(item.path);
    const box = scoringBox(item, faces, frame);
    if (box) {
      Object.assign(row, { box, width: frame.width, height: frame.height });
      row.livenessnet = round((await ours.classify(cropFace(frame, box, { margin: 0.2 }))).score);
      for (const [name, model] of Object.entries(models)) {
        const t = performance.now();
        row[name] = round((await model.classifyFace(frame, box)).score);
        ms[name] += performance.now() - t;
        const crop = cropFace(frame, box, { margin: model.cropMargin });
        row[`${name}-clipped`] = round((await model.classify(crop)).score);
      }
      row[ENSEMBLE] = round((row.livenessnet + row.minifasnet) / 2);
    }
    rows.push(row);
  }
  return rows;
}

const samples = (rows, field) =>
  rows.map((r) => ({ image: r.image, label: r.label, score: r[field] ?? 0, attackType: r.attackType }));
const pct = (v) => `${(v * 100).toFixed(1)}%`;
const withScore = (rows, field) => rows.map((r) => ({ ...r, score: r[field] }));

const dev = await score('dev');
const scored = dev.map((r) => ({ ...r, role: 'dev' }));
const fields = [...MINIFASNET_NAMES, ...MINIFASNET_NAMES.map((n) => `${n}-clipped`), 'livenessnet', ENSEMBLE];
const devMetrics = Object.fromEntries(
  fields.map((f) => {
    const m = padMetrics(samples(dev, f));
    return [f, { eer: round(m.eer), eerThreshold: m.eerThreshold, auc: round(m.auc) }];
  }),
);
const faces = dev.filter((r) => r.minifasnet !== undefined);
// How often the scaled box leaves the frame (where Silent-Face shifts its window and cropFace clips).
const leaves = (r, scale) => {
  const [x1, y1, x2, y2] = r.box;
  const [dx, dy] = [((x2 - x1) * (scale - 1)) / 2, ((y2 - y1) * (scale - 1)) / 2];
  return x1 - dx < 0 || y1 - dy < 0 || x2 + dx > r.width || y2 + dy > r.height;
};
const shift = Object.fromEntries(
  MINIFASNET_NAMES.map((n) => {
    const d = faces.map((r) => Math.abs(r[n] - r[`${n}-clipped`]));
    const scale = 1 + 2 * models[n].cropMargin;
    return [
      n,
      {
        meanAbsDifference: round(d.reduce((a, b) => a + b) / d.length),
        maxAbsDifference: round(Math.max(...d)),
        facesWhoseWindowLeavesTheFrame: faces.filter((r) => leaves(r, scale)).length,
      },
    ];
  }),
);
const thresholds = Object.fromEntries(MINIFASNET_NAMES.map((n) => [n, devMetrics[n].eerThreshold]));
const devBySet = Object.fromEntries(
  [...MINIFASNET_NAMES, 'livenessnet', ENSEMBLE].map((f) => [
    f,
    metricsBySet(withScore(dev, f), thresholds[f] ?? devMetrics[f].eerThreshold),
  ]),
);
writeFileSync(
  results('dev.json'),
  `${JSON.stringify({ bonaFide: faces.filter((r) => r.label === 'real').length, attacks: faces.length - faces.filter((r) => r.label === 'real').length, noFace: dev.length - faces.length, devMetrics, thresholds, devBySet, shiftedVsClipped: shift }, null, 2)}\n`,
);
for (const [f, m] of Object.entries(devMetrics)) {
  process.stdout.write(`dev ${f}: EER ${pct(m.eer)} at ${m.eerThreshold}, AUC ${m.auc}\n`);
}
if (args['write-metadata']) {
  const path = `${MINIFASNET_METADATA_DIR}/metadata.json`;
  const metadata = JSON.parse(readFileSync(path, 'utf8'));
  for (const n of MINIFASNET_NAMES) {
    const m = devMetrics[n];
    metadata.models[n].threshold = m.eerThreshold;
    metadata.models[n].thresholdFrom =
      `pooled equal-error point on the dev subjects of packages/livenessnet/experiments/split.json ` +
      `(${args.community ? 'NUAA, MSU-MFSD and livenessnet-community: the issue #17 protocol' : 'NUAA and MSU-MFSD'}) ` +
      `(dev EER ${pct(m.eer)}, AUC ${m.auc.toFixed(3)}; experiments/minifasnet-threshold.mjs)`;
  }
  writeFileSync(path, `${JSON.stringify(metadata, null, 2)}\n`);
  process.stdout.write(`wrote ${path}\n`);
}

if (!args['dev-only']) {
  const validation = await score('validation');
  const specs = [
    ...MINIFASNET_NAMES.map((n) => ({
      name: n,
      field: n,
      threshold: thresholds[n],
      thresholdFrom: 'dev EER',
    })),
    {
      name: 'livenessnet (default)',
      field: 'livenessnet',
      threshold: ours.threshold,
      thresholdFrom: 'dev EER',
    },
    {
      name: ENSEMBLE,
      field: ENSEMBLE,
      threshold: round((ours.threshold + thresholds.minifasnet) / 2),
      thresholdFrom: 'mean of the two (engine rule)',
    },
    ...MINIFASNET_NAMES.map((n) => ({
      name: `${n} at 0.5`,
      field: n,
      threshold: 0.5,
      thresholdFrom: 'argmax (Silent-Face)',
    })),
  ];
  const summary = summarize(validation, specs);
  for (const spec of specs) {
    const bySet = metricsBySet(withScore(validation, spec.field), spec.threshold);
    for (const [set, title] of [
      ['livenessnet-community', 'community'],
      ['all', 'pooled'],
    ]) {
      if (bySet[set] && (set !== 'all' || args.community)) {
        summary[title] ??= {};
        summary[title][spec.name] = {
          threshold: spec.threshold,
          thresholdFrom: spec.thresholdFrom,
          ...bySet[set],
        };
      }
    }
  }
  const withFace = validation.filter((r) => r.minifasnet !== undefined).length;
  const msPerFace = Object.fromEntries(
    MINIFASNET_NAMES.map((n) => [n, round(ms[n] / (withFace + faces.length))]),
  );
  writeFileSync(results('validation.json'), `${JSON.stringify({ summary, msPerFace }, null, 2)}\n`);
  const md = `${markdownTable(summary, specs)}\n`;
  writeFileSync(results('validation.md'), md);
  process.stdout.write(
    `${md}\nms per face (classifyFace, preprocessing included): ${JSON.stringify(msPerFace)}\n`,
  );
  scored.push(...validation.map((r) => ({ ...r, role: 'validation' })));
}
writeFileSync(
  args.scores ?? `/tmp/liveness-exp/${tag}-scores.jsonl`,
  `${scored.map((r) => JSON.stringify(r)).join('\n')}\n`,
);
await ours.close();
await Promise.all(Object.values(models).map((m) => m.close()));
