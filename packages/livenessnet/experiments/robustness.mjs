// Photometric robustness of a protocol recipe, on dev faces only: each face crop is changed the way another
// camera or light would change it (grayscale, white balance, blur, JPEG, noise, low light) and scored again;
// a robust model keeps the same face's score. Per change: mean |score change| and the share of decisions
// that flip at the seed's dev threshold, over every seed protocol.mjs trained.
//   node experiments/robustness.mjs --recipe NAME [--seeds 1,2,3] [--work /tmp/liveness-exp]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeImage, readImage } from '@face-liveness/core';
import { cropFace, LivenessClassifier } from '@face-liveness/livenessnet';
import { createRng } from '@face-liveness/livenessnet/synth';
import { facesOf, scoringBox } from './lib/faces.mjs';
import { listRole, readSplit } from './lib/split.mjs';
import { recipes } from './recipes.mjs';

const { values: args } = parseArgs({
  options: {
    recipe: { type: 'string' },
    seeds: { type: 'string', default: '1,2,3' },
    work: { type: 'string', default: '/tmp/liveness-exp' },
    out: { type: 'string', default: new URL('results/protocol', import.meta.url).pathname },
  },
});
const recipe = recipes[args.recipe];
if (!recipe) throw new Error(`--recipe must be one of ${Object.keys(recipes).join(', ')}`);

const map = (frame, f) => {
  const data = new Uint8Array(frame.data.length);
  for (let i = 0; i < data.length; i += 3) {
    const [r, g, b] = f(frame.data[i], frame.data[i + 1], frame.data[i + 2], i);
    data[i] = r;
    data[i + 1] = g;
    data[i + 2] = b;
  }
  return { ...frame, data };
};
const clamp = (v) => Math.min(255, Math.max(0, Math.round(v)));

function boxBlur(frame) {
  const { width: w, height: h, data } = frame;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
            sum += data[(yy * w + xx) * 3 + c];
            n++;
          }
        }
        out[(y * w + x) * 3 + c] = Math.round(sum / n);
      }
    }
  }
  return { ...frame, data: out };
}

// One fixed strength each, in the range a webcam or phone shows; the noise is seeded per image.
const CHANGES = {
  grayscale: (f) =>
    map(f, (r, g, b) => {
      const y = clamp(0.299 * r + 0.587 * g + 0.114 * b);
      return [y, y, y];
    }),
  'white balance (warm)': (f) => map(f, (r, g, b) => [clamp(r * 1.15), g, clamp(b * 0.8)]),
  'white balance (cold)': (f) => map(f, (r, g, b) => [clamp(r * 0.85), g, clamp(b * 1.15)]),
  'blur (3x3 box, twice)': (f) => boxBlur(boxBlur(f)),
  'JPEG q30': async (f) => readImage(await encodeImage(f, 'jpeg', 30)),
  'noise (sd 8)': (f, rng) => map(f, (r, g, b) => [r, g, b].map((v) => clamp(v + 8 * rng.normal()))),
  'low light (x0.4, gamma 1.2)': (f) =>
    map(f, (r, g, b) => [r, g, b].map((v) => clamp(255 * (v / 255) ** 1.2 * 0.4))),
};

const split = readSplit();
const items = listRole('dev', split, { community: true });
const faces = await facesOf(
  items.filter((i) => i.fullFrame || i.isCrop),
  join(args.work, 'faces.jsonl'),
);
const crops = [];
for (const item of items) {
  const frame = await readImage(item.path);
  const box = scoringBox(item, faces, frame);
  if (box) crops.push(cropFace(frame, box, { margin: recipe.margin }));
}

const protocol = JSON.parse(readFileSync(join(args.out, `${args.recipe}.json`), 'utf8'));
const perSeed = [];
for (const seed of args.seeds.split(',').map(Number)) {
  const threshold = protocol.perSeed.find((p) => p.seed === seed).threshold;
  const classifier = await LivenessClassifier.load(
    join(args.work, 'protocol', args.recipe, `seed${seed}`, 'model'),
  );
  const base = [];
  for (const crop of crops) base.push((await classifier.classify(crop)).score);
  const row = { seed };
  for (const [name, change] of Object.entries(CHANGES)) {
    let delta = 0;
    let flips = 0;
    for (const [i, crop] of crops.entries()) {
      const score = (await classifier.classify(await change(crop, createRng(i + 1)))).score;
      delta += Math.abs(score - base[i]);
      if (score >= threshold !== base[i] >= threshold) flips++;
    }
    row[name] = { meanAbsChange: delta / crops.length, flipped: flips / crops.length };
  }
  perSeed.push(row);
  await classifier.close();
}
const names = Object.keys(CHANGES);
const mean = (name, key) => perSeed.reduce((a, r) => a + r[name][key], 0) / perSeed.length;
const lines = [
  `# ${args.recipe}: photometric robustness on dev faces (${crops.length}), seeds ${args.seeds}`,
  '',
  'Mean |change of P(live)| of the same face, and the share of decisions flipped at the seed dev threshold; mean over seeds.',
  '',
  '| change | mean abs change | flipped |',
  '|---|---|---|',
  ...names.map(
    (n) => `| ${n} | ${mean(n, 'meanAbsChange').toFixed(3)} | ${(mean(n, 'flipped') * 100).toFixed(1)}% |`,
  ),
];
writeFileSync(
  join(args.out, `${args.recipe}.robustness.json`),
  `${JSON.stringify({ faces: crops.length, perSeed }, null, 2)}\n`,
);
writeFileSync(join(args.out, `${args.recipe}.robustness.md`), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
