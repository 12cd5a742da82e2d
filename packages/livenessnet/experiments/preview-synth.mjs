// Grid of synthetic attacks beside real recaptures, to judge the synthesis by eye.
// node experiments/preview-synth.mjs BOXES.jsonl OUT.png   (BOXES: res10 rows {"image","detections"} as in
// ../shared/fixtures/res10; rows: bona fide crop, 3 print, 3 replay, 1 NUAA print, 1 MSU print, 1 MSU replay)

import { readFileSync } from 'node:fs';
import { cropFrame, readImage, resizeBilinear, writeImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { createRng, hashSeed, synthesizeAttack } from '@face-liveness/livenessnet/synth';

const [boxesPath, outPath] = process.argv.slice(2);
const rows = new Map(
  readFileSync(boxesPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((r) => [r.image.replace(/^.*?data\//, 'data/'), r]),
);
const TILE = 128;

async function faceCrop(rel, scale = 1.5) {
  const frame = await readImage(sharedPath(rel));
  const [, x1, y1, x2, y2] = rows.get(rel).detections[0];
  const cx = ((x1 + x2) / 2) * frame.width;
  const cy = ((y1 + y2) / 2) * frame.height;
  const half = (Math.max((x2 - x1) * frame.width, (y2 - y1) * frame.height) * scale) / 2;
  return cropFrame(frame, [cx - half, cy - half, cx + half, cy + half]);
}

const pick = (prefix, n) => [...rows.keys()].filter((k) => k.startsWith(prefix)).slice(0, n);
const reals = [
  ...pick('data/nuaa/real/0001', 1),
  ...pick('data/nuaa/real/0004', 1),
  ...pick('data/nuaa/real/0007', 1),
  ...pick('data/msu-mfsd-train/real/real_client002', 1),
  ...pick('data/msu-mfsd-train/real/real_client005', 1),
];
const nuaaFake = pick('data/nuaa/fake/0001', 1).concat(
  pick('data/nuaa/fake/0004', 1),
  pick('data/nuaa/fake/0007', 1),
  pick('data/nuaa/fake/0002', 2),
);
const msuPrint = [...rows.keys()].filter((k) => k.includes('printed_photo')).slice(0, 5);
const msuReplay = [...rows.keys()].filter((k) => k.includes('video_scene')).slice(0, 5);

const tiles = [];
for (const [r, rel] of reals.entries()) {
  const face = await faceCrop(rel);
  const row = [face];
  for (const kind of ['print', 'replay']) {
    for (let i = 0; i < 3; i++)
      row.push(await synthesizeAttack(face, kind, createRng(hashSeed(7, rel, kind, i))));
  }
  row.push(await faceCrop(nuaaFake[r]), await faceCrop(msuPrint[r]), await faceCrop(msuReplay[r]));
  tiles.push(row.map((f) => resizeBilinear(f, TILE, TILE)));
}
const cols = tiles[0].length;
const data = new Uint8Array(cols * TILE * tiles.length * TILE * 3);
for (const [r, row] of tiles.entries()) {
  for (const [c, tile] of row.entries()) {
    for (let y = 0; y < TILE; y++) {
      data.set(
        tile.data.subarray(y * TILE * 3, (y + 1) * TILE * 3),
        ((r * TILE + y) * cols * TILE + c * TILE) * 3,
      );
    }
  }
}
await writeImage({ data, width: cols * TILE, height: tiles.length * TILE }, outPath);
