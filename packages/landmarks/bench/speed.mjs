// Speed of the shape predictor: ms per face on dlib's fixture faces (dlib's own predictor:
// `shape_us_per_face` in the fixture, about 3.8 ms on this kind of machine). Load time and memory:
// bench/load.mjs.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { readImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { ShapePredictor } from '../dist/index.js';

const DAT = process.env.DLIB_68 ?? '/usr/share/dlib/shape_predictor_68_face_landmarks.dat';
// Wall and CPU time: on a shared machine the wall clock also counts other processes' turns.
const cpuMs = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const sp = await ShapePredictor.load(DAT);

const records = readFileSync(sharedPath('fixtures/dlib68/dlib-hog-shape68.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l))
  .filter((r) => r.faces?.length)
  .slice(0, 60);
const faces = [];
const dlibUs = [];
for (const r of records) {
  const frame = await readImage(sharedPath(r.image));
  for (const f of r.faces) faces.push({ frame, box: [f.rect[0], f.rect[1], f.rect[2] + 1, f.rect[3] + 1] });
  dlibUs.push(r.shape_us_per_face);
}
const out = new Float64Array(2 * sp.numParts);
for (let i = 0; i < 200; i++) sp.predictInto(faces[i % faces.length].frame, faces[i % faces.length].box, out);
const rounds = 20;
const t1 = performance.now();
const c1 = process.cpuUsage();
for (let k = 0; k < rounds; k++) for (const f of faces) sp.predictInto(f.frame, f.box, out);
const perFace = (performance.now() - t1) / (rounds * faces.length);
const perFaceCpu = cpuMs(c1) / (rounds * faces.length);
const dlibMs = dlibUs.reduce((a, b) => a + b, 0) / dlibUs.length / 1000;
console.log(
  `load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);
console.log(
  `predict: ${perFace.toFixed(3)} ms per face (cpu ${perFaceCpu.toFixed(3)} ms; ${faces.length} faces x ${rounds}); dlib 19.24 on the same images: ${dlibMs.toFixed(2)} ms per face`,
);
