// One table across the recipes protocol.mjs has run (results/protocol/*.json): the dev mean ± sd and spread
// over seeds that recipes are compared by, and whether the held-out data has been scored (--final).
//   node experiments/summarize-protocol.mjs [--out experiments/results/protocol]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { out: { type: 'string', default: new URL('results/protocol', import.meta.url).pathname } },
});
const read = (f) => JSON.parse(readFileSync(join(args.out, f), 'utf8'));
const results = readdirSync(args.out)
  .filter((f) => f.endsWith('.json'))
  .map(read)
  .filter((r) => r.devSummary);
const pct = (v) => `${(v * 100).toFixed(1)}%`;
const auc = (v) => v.toFixed(3);
const stat = (m, f) => (m ? `${f(m.mean)} ± ${f(m.sd)} (spread ${f(m.spread)})` : '');
const rows = [
  [
    'recipe',
    'seeds',
    'pooled dev AUC',
    'pooled dev EER',
    'NUAA dev AUC',
    'MSU dev AUC',
    'community dev AUC',
    'final',
  ],
];
for (const r of results) {
  const s = r.devSummary;
  const finalPath = join(args.out, `${r.name}.final.json`);
  rows.push([
    r.name,
    r.perSeed.map((p) => p.seed).join(','),
    stat(s.all.auc, auc),
    stat(s.all.eer, pct),
    stat(s.nuaa?.auc, auc),
    stat(s['msu-mfsd']?.auc, auc),
    stat(s['livenessnet-community']?.auc, auc),
    existsSync(finalPath)
      ? `${r.name}.final.md (${read(`${r.name}.final.json`).first.at.slice(0, 16)})`
      : 'not run',
  ]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
const lines = [
  '# Protocol: recipes by dev over seeds',
  '',
  'Recipes (recipes.mjs) are compared by the mean and spread over seeds of their dev numbers only',
  '(split.json v2 dev: NUAA 0008 0012, MSU-MFSD 006 022, livenessnet-community kraken000 lestari krzysiek);',
  'each seed at its pooled dev EER threshold. A `-lodo-X` row left dataset X out of training and dev.',
  'Validation / the held-out dataset is scored once, by `protocol.mjs --final` (last column).',
  '',
  line(rows[0]),
  line(widths.map((w) => '-'.repeat(w))),
  ...rows.slice(1).map(line),
];
writeFileSync(join(args.out, 'README.md'), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
