// Collects the validation metrics of every variant scored by evaluate-ours.mjs and of the peers
// (peer-metrics.mjs) into results/README.md: one table per dataset, dev numbers beside validation.
//   node experiments/summarize.mjs [--results experiments/results]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { results: { type: 'string', default: new URL('results', import.meta.url).pathname } },
});
const read = (f) => JSON.parse(readFileSync(join(args.results, f), 'utf8'));
const ours = readdirSync(args.results)
  .filter((f) => f.endsWith('.json') && !f.startsWith('peers-'))
  .map(read)
  .filter((r) => r.validation);
const peers = read('peers-validation.json').summary;
const pct = (v) => `${(v * 100).toFixed(1)}%`;

/** Markdown table lines with padded columns (readable as plain text, stable diffs). */
function alignedTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)];
}

const lines = ['# Held-out validation subjects (experiments/split.json)', ''];
lines.push(
  'Faces: res10 (OpenCV weights converted to ONNX), best face per full frame, score 0 when none. Our thresholds: the equal-error point of the dev subjects; peers: their own fixed thresholds. Dev columns are what model selection may look at; validation is reported only.',
  '',
);
for (const set of ['NUAA', 'MSU-MFSD']) {
  lines.push(`## ${set}`, '');
  const rows = [
    ['model', 'threshold', 'AUC', 'EER', 'ACER', 'APCER (worst)', 'BPCER', 'dev AUC', 'dev EER', 'ms/face'],
  ];
  const validation = (m) => [m.auc.toFixed(3), pct(m.eer), pct(m.acer), pct(m.apcer), pct(m.bpcer)];
  for (const r of ours) {
    rows.push([
      r.name,
      `${r.threshold.toPrecision(3)} (dev EER)`,
      ...validation(r.validation[set][r.name]),
      r.dev.auc.toFixed(3),
      pct(r.dev.eer),
      r.msPerFace.toFixed(2),
    ]);
  }
  for (const [name, m] of Object.entries(peers[set])) {
    rows.push([name, `${m.threshold} (${m.thresholdFrom})`, ...validation(m), '', '', '']);
  }
  lines.push(...alignedTable(rows));
  const any = Object.values(peers[set])[0];
  lines.push('', `${any.bonaFide} bona fide, ${any.attacks} attack frames.`, '');
}
// Recipes run with several seeds (NAME-seedN; a bare NAME beside them is seed 1): mean and range, because
// one run of these small-data recipes can land far from another.
const recipes = new Map();
for (const r of ours) {
  const recipe = r.name.replace(/-seed\d+$/, '');
  if (!recipes.has(recipe)) recipes.set(recipe, []);
  recipes.get(recipe).push(r);
}
const seeded = [...recipes].filter(
  ([, runs]) => runs.length > 1 && runs.some((r) => r.name !== r.name.replace(/-seed\d+$/, '')),
);
lines.push(
  '## Over seeds',
  '',
  'Mean (min - max) over the runs of each recipe trained with several seeds.',
  '',
);
const spread = (values, format) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `${format(mean)} (${format(Math.min(...values))} - ${format(Math.max(...values))})`;
};
const seedRows = [['recipe', 'runs', 'dev AUC', 'NUAA AUC', 'NUAA ACER', 'MSU-MFSD AUC', 'MSU-MFSD ACER']];
for (const [recipe, runs] of seeded) {
  const of = (set, key) => runs.map((r) => r.validation[set][r.name][key]);
  const auc = (v) => v.toFixed(3);
  seedRows.push([
    recipe,
    String(runs.length),
    spread(
      runs.map((r) => r.dev.auc),
      auc,
    ),
    spread(of('NUAA', 'auc'), auc),
    spread(of('NUAA', 'acer'), pct),
    spread(of('MSU-MFSD', 'auc'), auc),
    spread(of('MSU-MFSD', 'acer'), pct),
  ]);
}
lines.push(...alignedTable(seedRows), '');
writeFileSync(join(args.results, 'README.md'), `${lines.join('\n').trimEnd()}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
