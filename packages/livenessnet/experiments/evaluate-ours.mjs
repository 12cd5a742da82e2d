// Scores a model trained here on the dev and validation subjects (res10 faces from the shared cache,
// crops with the model's margin), fixes its threshold on dev (the equal-error point of the dev
// scores), then reports validation at that threshold. Validation never influences the threshold.
// DIR may be an ensemble directory (frame_size.txt listing member models): its score is the members'
// mean P(real), the ensemble rule LivenessEnsemble applies.
//   node experiments/evaluate-ours.mjs --model DIR --name NAME [--margin 0] [--out experiments/results]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readImage } from '@face-liveness/core';
import {
  cropFace,
  FRAME_SIZE_FILE,
  isEnsembleDir,
  LivenessClassifier,
  LivenessEnsemble,
} from '@face-liveness/livenessnet';
import { padMetrics } from '@face-liveness/livenessnet/evaluate';
import { facesOf } from './lib/faces.mjs';
import { markdownTable, summarize } from './lib/metrics.mjs';
import { listRole } from './lib/split.mjs';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    name: { type: 'string' },
    margin: { type: 'string', default: '0' },
    out: { type: 'string', default: new URL('results', import.meta.url).pathname },
    'faces-cache': { type: 'string', default: '/tmp/liveness-exp/faces.jsonl' },
  },
});
if (!args.model || !args.name) throw new Error('--model DIR and --name NAME are required');
const margin = Number(args.margin);
const ensemble = isEnsembleDir(args.model);
const classifier = ensemble
  ? await LivenessEnsemble.load(args.model)
  : await LivenessClassifier.load(args.model);

async function score(role) {
  const items = listRole(role).filter((i) => i.fullFrame);
  const faces = await facesOf(items, args['faces-cache']);
  const rows = [];
  let ms = 0;
  for (const item of items) {
    const row = { image: item.image, label: item.label, source: item.source, subject: item.subject };
    if (item.attackType) row.attackType = item.attackType;
    const face = faces.get(item.image)[0];
    if (face && face.score >= 0.5) {
      const crop = cropFace(await readImage(item.path), face.box, { margin });
      const t = performance.now();
      row.score = Number((await classifier.classify(crop)).score.toPrecision(6));
      ms += performance.now() - t;
    }
    rows.push(row);
  }
  return { rows, msPerFace: ms / rows.filter((r) => r.score !== undefined).length };
}

const dev = await score('dev');
const devMetrics = padMetrics(
  dev.rows.map((r) => ({ image: r.image, label: r.label, score: r.score ?? 0, attackType: r.attackType })),
);
const threshold = devMetrics.eerThreshold;
const validation = await score('validation');
const spec = { name: args.name, field: 'score', threshold, thresholdFrom: 'dev EER' };
const summary = summarize(validation.rows, [spec]);
const result = {
  name: args.name,
  model: args.model,
  ...(ensemble && {
    members: readFileSync(join(args.model, FRAME_SIZE_FILE), 'utf8').trim().split(/\r?\n/),
  }),
  margin,
  threshold,
  dev: {
    eer: devMetrics.eer,
    auc: devMetrics.auc,
    bonaFide: devMetrics.bonaFide,
    attacks: devMetrics.attacks,
  },
  validation: summary,
  msPerFace: validation.msPerFace,
};
writeFileSync(join(args.out, `${args.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  join(args.out, `${args.name}-scores.jsonl`),
  `${[
    ...dev.rows.map((r) => ({ ...r, role: 'dev' })),
    ...validation.rows.map((r) => ({ ...r, role: 'validation' })),
  ]
    .map((r) => JSON.stringify(r))
    .join('\n')}\n`,
);
process.stdout.write(
  `${args.name}: threshold ${threshold.toFixed(4)} (dev EER ${(devMetrics.eer * 100).toFixed(1)}%, AUC ${devMetrics.auc.toFixed(3)}), ${validation.msPerFace.toFixed(2)} ms/face\n${markdownTable(summary, [spec])}\n`,
);
await classifier.close();
