// Metrics of the original model and the peers from the scores peers.mjs wrote, each at its own fixed
// threshold (none of them chosen on these subjects). Writes results/peers-<role>.json and .md.
//   node experiments/peer-metrics.mjs [--role validation]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { markdownTable, summarize } from './lib/metrics.mjs';

const { values: args } = parseArgs({ options: { role: { type: 'string', default: 'validation' } } });
const base = new URL(`results/peers-${args.role}`, import.meta.url).pathname;
const rows = readFileSync(`${base}.jsonl`, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

export const PEER_SPECS = [
  { name: 'original LivenessNet (seed, imported)', field: 'seed', threshold: 0.5, thresholdFrom: 'argmax' },
  {
    name: 'MiniFASNet V2+V1SE (Silent-Face)',
    field: 'minifasnet',
    threshold: 0.5,
    thresholdFrom: 'demo argmax',
  },
  { name: 'MiniFASNetV2 2.7', field: 'minifasnetV2', threshold: 0.5, thresholdFrom: 'argmax' },
  { name: 'MiniFASNetV1SE 4.0', field: 'minifasnetV1se', threshold: 0.5, thresholdFrom: 'argmax' },
  {
    name: 'CelebA-Spoof bin 1.5 (RGB)',
    field: 'celebaBin',
    threshold: 0.75,
    thresholdFrom: 'its video_predict.py',
  },
  {
    name: 'CelebA-Spoof bin 1.5 (BGR)',
    field: 'celebaBinBgr',
    threshold: 0.75,
    thresholdFrom: 'its video_predict.py',
  },
  {
    name: 'CelebA-Spoof print-replay 1.5 (RGB)',
    field: 'celebaPrintReplay',
    threshold: 0.75,
    thresholdFrom: 'its video_predict.py',
  },
];

const summary = summarize(rows, PEER_SPECS);
const argmaxDiffers = rows.filter((r) => r.box && r.minifasnetArgmaxLive !== r.minifasnet >= 0.5).length;
writeFileSync(`${base}.json`, `${JSON.stringify({ role: args.role, summary, argmaxDiffers }, null, 2)}\n`);
const md = `${markdownTable(summary, PEER_SPECS)}\n\nMiniFASNet: the demo's 3-class argmax and P(live) >= 0.5 disagree on ${argmaxDiffers} frames.\n`;
writeFileSync(`${base}.md`, md);
process.stdout.write(md);
