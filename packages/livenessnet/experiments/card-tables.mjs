// The model card's tables from the protocol's results (results/protocol/*.json): for each name, the held-out
// numbers of every seed at its dev threshold (ACER beside the best this set allowed) and their mean, in-domain
// (validation) and leave-one-dataset-out (the held-out dataset's test), as markdown on stdout.
//   node experiments/card-tables.mjs --names ds80-c27-kd+minifasnet,minifasnet,baseline
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    names: { type: 'string' },
    dir: { type: 'string', default: new URL('results/protocol', import.meta.url).pathname },
  },
});
if (!args.names) throw new Error('--names a,b,c is required');
const names = args.names.split(',');
const pct = (v) => `${(v * 100).toFixed(1)}%`;
const SETS = { nuaa: 'NUAA', 'msu-mfsd': 'MSU-MFSD', 'livenessnet-community': 'community', all: 'pooled' };

function finalOf(name) {
  const path = join(args.dir, `${name}.final.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).first : undefined;
}

/** One row per seed and a mean row: AUC, ACER at the dev threshold (APCER / BPCER) and the best ACER, per set. */
function table(title, lodo) {
  const lines = [`### ${title}`, ''];
  const header = ['model', 'seed', 'threshold (dev)'];
  const body = [];
  let sets;
  for (const name of names) {
    const final = finalOf(`${name}${lodo}`);
    if (!final) {
      body.push([name, '', 'not run']);
      continue;
    }
    sets ??= Object.keys(SETS).filter((s) => final.perSeed[0][final.role][s]);
    const cell = (m) =>
      m
        ? `${m.auc.toFixed(3)} | ${pct(m.acer)} (${pct(m.apcer)} / ${pct(m.bpcer)}) | ${pct(m.bestAcer)}`
        : ' | | ';
    for (const row of final.perSeed) {
      body.push([
        name,
        String(row.seed),
        row.threshold.toFixed(4),
        ...sets.map((s) => cell(row[final.role][s])),
      ]);
    }
    if (final.perSeed.length > 1) {
      const mean = (s, k) =>
        final.perSeed.reduce((a, r) => a + r[final.role][s][k], 0) / final.perSeed.length;
      body.push([
        `**${name}**`,
        '**mean**',
        '',
        ...sets.map(
          (s) =>
            `${mean(s, 'auc').toFixed(3)} | ${pct(mean(s, 'acer'))} (${pct(mean(s, 'apcer'))} / ${pct(mean(s, 'bpcer'))}) | ${pct(mean(s, 'bestAcer'))}`,
        ),
      ]);
    }
  }
  sets ??= [];
  header.push(...sets.map((s) => `${SETS[s]} AUC | ACER (APCER / BPCER) | best ACER`));
  lines.push(`| ${header.join(' | ')} |`, `|${'---|'.repeat(3 + sets.length * 3)}`);
  for (const row of body) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

console.log(
  [
    table("In-domain: the validation subjects, at each seed's dev threshold", ''),
    table('Leave MSU-MFSD out: trained and thresholded without it, tested on all its clients', '-lodo-msu'),
    table('Leave NUAA out: trained and thresholded without it, tested on all its subjects', '-lodo-nuaa'),
  ].join('\n\n'),
);
