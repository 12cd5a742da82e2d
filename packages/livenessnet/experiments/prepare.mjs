// Materialises the training side of experiments/split.json as folders of face crops that
// `face-liveness train -d TRAIN -dv DEV` reads: <out>/{train,dev}/{real,fake}/*.png.
//   node experiments/prepare.mjs --out DIR [--margin 0.2] [--synth 2] [--extra-real] [--msu-repeat 4]
// --synth N: N print and N replay attacks made from each training-side bona fide crop (never dev/validation).
// --extra-real: HELEN, face-api and dlib faces (every res10 face >= 0.5 and >= 40 px) as more bona fide,
// shrunk to at most --max-side pixels (default 256: about the size of the webcam faces; keeps synthesis fast).
// --msu-repeat K: MSU-MFSD training crops written K times (the dataset gives 1 real + 3 attacks per subject;
// training augmentation makes the copies differ).
// --photometric K: K more copies of every training crop (bona fide and attack alike) with another
// camera's exposure, white balance, saturation, blur, noise and JPEG (synth/photometric.ts).
// --community: livenessnet-community's training and dev sources too (split.json); its images are res10
// crops already, so the face is found again inside each and cut with --margin (clipped), else taken whole.
// --lodo msu|nuaa: the leave-one-dataset-out training side (that dataset left out of train and dev).
// --teacher: <out>/teacher.json, the Apache-2.0 MiniFASNet pair's P(live) (mean of V2 on its 2.7x crop and
// V1SE on its 4.0x crop, lib/teacher.mjs) for every training crop, from the frame and box it was cut from.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeImage, readImage, resizeBilinear } from '@face-liveness/core';
import { cropFace } from '@face-liveness/livenessnet';
import { createRng, hashSeed, jitterPhotometric, synthesizeAttack } from '@face-liveness/livenessnet/synth';
import { facesOf } from './lib/faces.mjs';
import { listRole, readSplit } from './lib/split.mjs';
import { createTeacher } from './lib/teacher.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    margin: { type: 'string', default: '0' },
    synth: { type: 'string', default: '0' },
    'extra-real': { type: 'boolean', default: false },
    'msu-repeat': { type: 'string', default: '1' },
    'faces-cache': { type: 'string', default: '/tmp/liveness-exp/faces.jsonl' },
    seed: { type: 'string', default: '1' },
    photometric: { type: 'string', default: '0' },
    'max-side': { type: 'string', default: '256' },
    community: { type: 'boolean', default: false },
    lodo: { type: 'string' },
    teacher: { type: 'boolean', default: false },
  },
});
if (!args.out) throw new Error('--out DIR is required');
const margin = Number(args.margin);
const synthPerImage = Number(args.synth);
const msuRepeat = Number(args['msu-repeat']);
const seed = Number(args.seed);
const photometric = Number(args.photometric);

const teacher = args.teacher ? await createTeacher() : undefined;
const teacherScores = {};
const counts = {};
async function save(role, label, name, frame, source) {
  const dir = join(args.out, role, label);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  if (!existsSync(path)) writeFileSync(path, await encodeImage(frame, 'png'));
  counts[`${role}/${label}`] = (counts[`${role}/${label}`] ?? 0) + 1;
  if (role !== 'train') return;
  if (teacher && source)
    teacherScores[`${label}/${name}.png`] = await teacher.score(source.frame, source.box);
  for (let k = 0; k < photometric; k++) {
    const jittered = join(dir, `${name}-photo${k}.png`);
    if (existsSync(jittered)) continue;
    const rng = createRng(hashSeed(seed, 'photometric', name, k));
    writeFileSync(jittered, await encodeImage(await jitterPhotometric(frame, rng), 'png'));
    counts[`${role}/${label}`]++;
  }
}

const stem = (item) => `${item.source}-${item.subject}-${basename(item.image, extname(item.image))}`;
const split = readSplit();
const roleOptions = { community: args.community, lodo: args.lodo };
for (const role of ['train', 'dev']) {
  const items = listRole(role, split, roleOptions);
  const faces = await facesOf(
    items.filter((i) => i.fullFrame || i.isCrop),
    args['faces-cache'],
  );
  for (const item of items) {
    const frame = await readImage(item.path);
    let box = [0, 0, frame.width, frame.height];
    if (item.fullFrame || item.isCrop) {
      const face = faces.get(item.image)[0];
      if (face && face.score >= 0.5) box = face.box;
      else if (item.fullFrame) continue;
    }
    const crop = cropFace(frame, box, { margin });
    const copies = role === 'train' && item.source === 'msu-mfsd' ? msuRepeat : 1;
    for (let k = 0; k < copies; k++)
      await save(role, item.label, `${stem(item)}${k ? `-copy${k}` : ''}`, crop, { frame, box });
    if (role === 'train' && item.label === 'real') await synthesize(item, crop);
  }
}
if (args['extra-real']) {
  const items = listRole('train-real', split);
  const faces = await facesOf(items, args['faces-cache']);
  for (const item of items) {
    const frame = await readImage(item.path);
    for (const [k, face] of faces.get(item.image).entries()) {
      if (face.score < 0.5 || face.box[2] - face.box[0] < 40 || face.box[3] - face.box[1] < 40) continue;
      const crop = shrink(cropFace(frame, face.box, { margin }), Number(args['max-side']));
      await save('train', 'real', `${stem(item)}-face${k}`, crop, { frame, box: face.box });
      await synthesize({ ...item, image: `${item.image}#${k}` }, crop);
    }
  }
}

function shrink(frame, maxSide) {
  const scale = maxSide / Math.max(frame.width, frame.height);
  if (scale >= 1) return frame;
  return resizeBilinear(frame, Math.round(frame.width * scale), Math.round(frame.height * scale));
}

async function synthesize(item, crop) {
  for (let i = 0; i < synthPerImage; i++) {
    for (const kind of ['print', 'replay']) {
      const name = `synth-${kind}${i}-${stem(item)}${item.image.includes('#') ? item.image.split('#')[1] : ''}`;
      if (existsSync(join(args.out, 'train', 'fake', `${name}.png`))) {
        counts['train/fake'] = (counts['train/fake'] ?? 0) + 1;
        continue;
      }
      const attack = await synthesizeAttack(crop, kind, createRng(hashSeed(seed, item.image, kind, i)));
      await save('train', 'fake', name, attack);
    }
  }
}
if (teacher) {
  writeFileSync(join(args.out, 'teacher.json'), `${JSON.stringify(teacherScores)}\n`);
  await teacher.close();
}
process.stdout.write(
  `${JSON.stringify({ out: args.out, margin, synthPerImage, extraReal: args['extra-real'], msuRepeat, community: args.community, lodo: args.lodo, counts })}\n`,
);
