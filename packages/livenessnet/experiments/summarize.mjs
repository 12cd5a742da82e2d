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
writeFileSync(join(args.results, 'README.md'), `${lines.join('\n').trimEnd()}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
