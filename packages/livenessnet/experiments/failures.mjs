// The worst errors of one scored run, as pictures to look at: the attacks scored most live and the bona fide
// faces scored least live at a fixed threshold, each as the 2.7x-context crop the default model sees, in a
// grid written to --out (outside the repository: the faces belong to the datasets). One line per tile is
// printed (image, label, score).
//   node experiments/failures.mjs --scores /tmp/liveness-exp/protocol/NAME/seed1/validation-scores.json \
//        --threshold 0.46 [--count 8] [--out /tmp/liveness-exp/failures.jpg]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readImage, resizeBilinear, writeImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { cropFace } from '@face-liveness/livenessnet';
import { facesOf, scoringBox } from './lib/faces.mjs';

const { values: args } = parseArgs({
  options: {
    scores: { type: 'string' },
    threshold: { type: 'string' },
    count: { type: 'string', default: '8' },
    out: { type: 'string', default: '/tmp/liveness-exp/failures.jpg' },
    'faces-cache': { type: 'string', default: '/tmp/liveness-exp/faces.jsonl' },
  },
});
if (!args.scores || !args.threshold) throw new Error('--scores FILE and --threshold T are required');
const threshold = Number(args.threshold);
const count = Number(args.count);
const { rows } = JSON.parse(readFileSync(args.scores, 'utf8'));
const scored = rows.filter((r) => r.score !== undefined);
const accepted = scored
  .filter((r) => r.label === 'fake' && r.score >= threshold)
  .sort((a, b) => b.score - a.score)
  .slice(0, count);
const rejected = scored
  .filter((r) => r.label === 'real' && r.score < threshold)
  .sort((a, b) => a.score - b.score)
  .slice(0, count);
const items = [...accepted, ...rejected].map((r) => ({ ...r, path: sharedPath(r.image), isCrop: true }));
const faces = await facesOf(items, args['faces-cache']);
const TILE = 160;
const tiles = [];
for (const item of items) {
  const frame = await readImage(item.path);
  const box = scoringBox(item, faces, frame);
  tiles.push(resizeBilinear(cropFace(frame, box, { margin: 0.85 }), TILE, TILE));
  const kind =
    item.label === 'fake' ? `attack accepted (${item.attackType ?? 'attack'})` : 'bona fide rejected';
  console.log(`${tiles.length}\t${kind}\t${item.score.toFixed(3)}\t${item.image}`);
}
const cols = count;
const lines = [accepted, rejected].filter((l) => l.length > 0).length;
const data = new Uint8Array(cols * TILE * lines * TILE * 3);
let at = 0;
for (const [line, group] of [accepted, rejected].filter((l) => l.length > 0).entries()) {
  for (let c = 0; c < group.length; c++, at++) {
    for (let y = 0; y < TILE; y++) {
      data.set(
        tiles[at].data.subarray(y * TILE * 3, (y + 1) * TILE * 3),
        ((line * TILE + y) * cols * TILE + c * TILE) * 3,
      );
    }
  }
}
await writeImage({ data, width: cols * TILE, height: lines * TILE }, args.out);
console.log(`top line: attacks accepted, best first; bottom line: bona fide rejected -> ${args.out}`);
