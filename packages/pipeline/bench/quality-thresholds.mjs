// Places the face-quality limits of src/quality/assess.ts on training-side data only: HELEN test
// faces (human 68-point annotations) and NUAA's training subjects (0001 0002 0004 0006 0007 0010,
// per packages/livenessnet/experiments/split.json; never its validation subjects), with synthetic
// blur, darkening, brightening and downscaling. For each degradation it prints the quality
// measures and dlib's landmark error (mean point error over the outer eye-corner distance, NME),
// so that each limit can sit where the landmarks (which blinks and pose rest on) start to fail.
//
//   npx tsc -b packages/pipeline && node packages/pipeline/bench/quality-thresholds.mjs [faces]
//
// The README's "Face quality" section reports its output. Deterministic; about 2 minutes on 2 cores.
import { readdirSync, readFileSync } from 'node:fs';
import { readImage, resizeBilinear, warpAffine } from '@face-liveness/core';
import { DLIB_68_PATH, sharedPath } from '@face-liveness/core/testing';
import { createFaceDetector } from '@face-liveness/face-detector';
import { eyeAspectRatios, headPose, predictFromFace, ShapePredictor } from '@face-liveness/landmarks';
import { QUALITY_DEFAULTS } from '../dist/quality/assess.js';
import { measureFace } from '../dist/quality/measure.js';

const LIMIT = Number(process.argv[2] ?? 330);
const NUAA_TRAIN = ['0001', '0002', '0004', '0006', '0007', '0010'];
const sp = await ShapePredictor.load(DLIB_68_PATH);
const detector = await createFaceDetector();
console.log(`detector: ${detector.name}`);

const q = (values, p) => {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : Number.NaN;
};
const median = (v) => q(v, 0.5);
const f = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const nme = (pred, truth) => {
  const iod = Math.hypot(truth[36][0] - truth[45][0], truth[36][1] - truth[45][1]);
  return pred.reduce((s, [x, y], i) => s + Math.hypot(x - truth[i][0], y - truth[i][1]), 0) / 68 / iod;
};
const meanEar = (p) => eyeAspectRatios(p).reduce((a, b) => a + b) / 2;

/** A region of the frame around `box` (the box plus half its size on every side), as its own frame. */
function cropAround(frame, box) {
  const w = (box[2] - box[0]) / 2;
  const h = (box[3] - box[1]) / 2;
  const x0 = Math.max(0, Math.floor(box[0] - w));
  const y0 = Math.max(0, Math.floor(box[1] - h));
  const x1 = Math.min(frame.width, Math.ceil(box[2] + w));
  const y1 = Math.min(frame.height, Math.ceil(box[3] + h));
  const data = new Uint8Array((x1 - x0) * (y1 - y0) * 3);
  for (let y = y0; y < y1; y++) {
    data.set(
      frame.data.subarray((y * frame.width + x0) * 3, (y * frame.width + x1) * 3),
      (y - y0) * (x1 - x0) * 3,
    );
  }
  return { frame: { data, width: x1 - x0, height: y1 - y0 }, dx: x0, dy: y0 };
}

/** Separable Gaussian blur, edges clamped. */
function blur(frame, sigma) {
  if (sigma <= 0) return frame;
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b);
  const { width, height } = frame;
  const pass = (src, horizontal) => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let i = -r; i <= r; i++) {
            const xx = horizontal ? Math.min(width - 1, Math.max(0, x + i)) : x;
            const yy = horizontal ? y : Math.min(height - 1, Math.max(0, y + i));
            acc += k[i + r] * src[(yy * width + xx) * 3 + c];
          }
          out[(y * width + x) * 3 + c] = acc / sum;
        }
      }
    }
    return out;
  };
  const out = pass(pass(frame.data, true), false);
  return { data: Uint8Array.from(out, (v) => Math.round(v)), width, height };
}
const gain = (frame, g) => ({ ...frame, data: frame.data.map((v) => Math.min(255, Math.round(v * g))) });

// ---- HELEN: detector box of the annotated face, landmarks from it, under each degradation.
const helenDir = sharedPath('data/landmarks-300w/helen-test');
const helen = readdirSync(helenDir)
  .filter((n) => n.endsWith('.jpg'))
  .sort()
  .slice(0, LIMIT);
// Each family from mild to severe; a limit sits where the family's median NME crosses 1.25 x clean.
const families = {
  blur: [0.5, 1, 1.5, 2, 3].map((sigma) => [`blur ${sigma}`, (c, s) => blur(c, sigma * s)]),
  darken: [0.7, 0.5, 0.4, 0.3, 0.2].map((g) => [`gain ${g}`, (c) => gain(c, g)]),
  brighten: [1.3, 1.6, 2, 2.5].map((g) => [`gain ${g}`, (c) => gain(c, g)]),
};
const levels = { clean: (c) => c, ...Object.fromEntries(Object.values(families).flat()) };
const ROLLS = [10, 20, 30, 40, 50];

/** The crop turned by `deg` clockwise about the box's centre (warpAffine's inverse map), and the map of points. */
function turn(crop, box, deg) {
  const [c, s] = [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];
  const [cx, cy] = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
  const inverse = [c, s, cx - c * cx - s * cy, -s, c, cy + s * cx - c * cy];
  const forward = ([x, y]) => [cx + c * (x - cx) - s * (y - cy), cy + s * (x - cx) + c * (y - cy)];
  return { img: warpAffine(crop, inverse), forward };
}
const widths = [120, 100, 80, 70, 60, 50, 40];
const rows = Object.fromEntries(
  [...Object.keys(levels), ...widths.map((w) => `${w} px`), ...ROLLS.map((r) => `roll ${r}`)].map((k) => [
    k,
    [],
  ]),
);
const clean = [];
let missed = 0;
for (const name of helen) {
  const frame = await readImage(`${helenDir}/${name}`);
  const lines = readFileSync(`${helenDir}/${name.replace(/\.jpg$/, '.pts')}`, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === '{') + 1;
  const truth = lines.slice(start, start + 68).map((l) =>
    l
      .trim()
      .split(/\s+/)
      .map((v) => Number(v) - 1),
  );
  const nose = truth[30];
  const face = (await detector.detect(frame))
    .filter((d) => d.box[0] < nose[0] && nose[0] < d.box[2] && d.box[1] < nose[1] && nose[1] < d.box[3])
    .sort((a, b) => b.score - a.score)[0];
  if (!face) {
    missed++;
    continue;
  }
  const { frame: crop, dx, dy } = cropAround(frame, face.box);
  const box = [face.box[0] - dx, face.box[1] - dy, face.box[2] - dx, face.box[3] - dy];
  const keypoints = face.keypoints?.map(([x, y]) => [x - dx, y - dy]);
  const t = truth.map(([x, y]) => [x - dx, y - dy]);
  const perPx = (box[2] - box[0]) / 128; // blur sigmas are in pixels of a 128 px wide face
  const kind = detector.name.startsWith('res10') ? 'res10' : 'blazeface';
  for (const [level, degrade] of Object.entries(levels)) {
    const img = degrade(crop, perPx);
    const points = predictFromFace(sp, img, { box, keypoints }, kind);
    const m = measureFace(img, box);
    const row = { ...m, nme: nme(points, t), size: Math.min(box[2] - box[0], box[3] - box[1]) };
    if (level === 'clean') {
      const pose = headPose(points, { width: frame.width, height: frame.height });
      clean.push({ ...row, ...pose, ear: meanEar(points), truthEar: meanEar(t) });
    }
    rows[level].push(row);
  }
  for (const deg of ROLLS) {
    // The detector's box of a turned face stays about where it was; its keypoints turn with the face.
    const { img, forward } = turn(crop, box, deg);
    const points = predictFromFace(sp, img, { box, keypoints: keypoints?.map(forward) }, kind);
    rows[`roll ${deg}`].push({ ...measureFace(img, box), nme: nme(points, t.map(forward)), roll: deg });
  }
  for (const w of widths) {
    const s = w / (box[2] - box[0]);
    if (s >= 1) continue;
    const img = resizeBilinear(
      crop,
      Math.max(1, Math.round(crop.width * s)),
      Math.max(1, Math.round(crop.height * s)),
    );
    const b = box.map((v) => v * s);
    const points = predictFromFace(
      sp,
      img,
      { box: b, keypoints: keypoints?.map(([x, y]) => [x * s, y * s]) },
      kind,
    );
    rows[`${w} px`].push({
      ...measureFace(img, b),
      nme: nme(
        points,
        t.map(([x, y]) => [x * s, y * s]),
      ),
      size: w,
    });
  }
}
console.log(`HELEN: ${helen.length} images, ${clean.length} faces found by the detector (${missed} missed)`);
const cleanNme = median(rows.clean.map((r) => r.nme));
console.log(
  '\nlevel       n    NME med  NME p90  sharpness p10/med/p90   brightness p10/med/p90   clipped med/p90',
);
for (const [level, r] of Object.entries(rows)) {
  if (!r.length) continue;
  const col = (k, d) =>
    [0.1, 0.5, 0.9]
      .map((p) =>
        f(
          q(
            r.map((x) => x[k]),
            p,
          ),
          d,
        ),
      )
      .join('/');
  console.log(
    `${level.padEnd(10)} ${String(r.length).padStart(4)}  ${f(median(r.map((x) => x.nme)), 4)}   ${f(
      q(
        r.map((x) => x.nme),
        0.9,
      ),
      4,
    )}   ${col('sharpness', 1).padEnd(22)}  ${col('brightness', 0).padEnd(22)}  ${f(median(r.map((x) => x.clipped)), 3)}/${f(
      q(
        r.map((x) => x.clipped),
        0.9,
      ),
      3,
    )}`,
  );
}
console.log(`(clean median NME ${f(cleanNme, 4)}; 1.25x = ${f(1.25 * cleanNme, 4)})`);

/**
 * Where a family's median NME first crosses 1.25 x clean, by linear interpolation between the two
 * levels around the crossing, and the median of `measure` interpolated there (in log for sharpness).
 */
function crossing(names, measure, log = false) {
  const target = 1.25 * cleanNme;
  let prev = 'clean';
  for (const name of names) {
    const [a, b] = [median(rows[prev].map((r) => r.nme)), median(rows[name].map((r) => r.nme))];
    if (b > target) {
      const t = b > a ? Math.max(0, Math.min(1, (target - a) / (b - a))) : 1;
      const [ma, mb] = [
        median(rows[prev].map((r) => r[measure] ?? 0)),
        median(rows[name].map((r) => r[measure])),
      ];
      const v = log ? Math.exp(Math.log(ma) + t * (Math.log(mb) - Math.log(ma))) : ma + t * (mb - ma);
      return `${f(v, 3)} (between ${prev} and ${name})`;
    }
    prev = name;
  }
  return 'not crossed';
}
const names = (family) => families[family].map(([n]) => n);
console.log(`\nsuggested limits (median measure where median NME crosses 1.25 x clean):`);
console.log(`  minSharpness  ${crossing(names('blur'), 'sharpness', true)}`);
console.log(`  minBrightness ${crossing(names('darken'), 'brightness')}`);
console.log(`  maxBrightness ${crossing(names('brighten'), 'brightness')}`);
console.log(`  maxClipped    ${crossing(names('brighten'), 'clipped')}`);
console.log(
  `  maxRoll       ${crossing(
    ROLLS.map((r) => `roll ${r}`),
    'roll',
  )}`,
);
console.log(
  `  minFaceSize   ${crossing(
    widths.map((w) => `${w} px`).filter((k) => rows[k].length),
    'size',
  )}`,
);

// Landmark error against pose, on clean faces.
console.log('\n|yaw| bucket   n   NME med   |pitch| med  |roll| med');
for (const [lo, hi] of [
  [0, 10],
  [10, 20],
  [20, 30],
  [30, 40],
  [40, 90],
]) {
  const r = clean.filter((c) => Math.abs(c.yaw) >= lo && Math.abs(c.yaw) < hi);
  console.log(
    `${`${lo}-${hi}`.padEnd(12)} ${String(r.length).padStart(4)}  ${f(median(r.map((c) => c.nme)), 4)}   ${f(median(r.map((c) => Math.abs(c.pitch))), 1)}        ${f(median(r.map((c) => Math.abs(c.roll))), 1)}`,
  );
}
const rel = clean.map((c) => c.relativeError);
console.log(
  `pose fit relative error on clean faces: median ${f(median(rel), 3)}, p95 ${f(q(rel, 0.95), 3)}, p99 ${f(q(rel, 0.99), 3)}, max ${f(Math.max(...rel), 3)}`,
);
const bad = clean.filter((c) => c.nme > 0.1);
console.log(
  `faces whose landmarks failed (NME > 0.1): ${bad.length}, their pose fit relative error: ${bad.map((c) => f(c.relativeError, 3)).join(' ')}`,
);
const ears = clean.map((c) => c.ear);
console.log(
  `EAR (dlib) on HELEN faces: p1 ${f(q(ears, 0.01), 3)}, p5 ${f(q(ears, 0.05), 3)}, median ${f(median(ears), 3)}; under 0.15: ${ears.filter((e) => e < 0.15).length}; annotated EAR under 0.15: ${clean.filter((c) => c.truthEar < 0.15).length}`,
);

// ---- NUAA training subjects, real frames: what the limits would refuse on an ordinary webcam session.
const nuaa = [];
for (const subject of NUAA_TRAIN) {
  const dir = sharedPath('data/nuaa/real', subject);
  const files = readdirSync(dir)
    .sort()
    .filter((_, i) => i % 4 === 0);
  for (const file of files) {
    const frame = await readImage(`${dir}/${file}`);
    const faces = await detector.detect(frame);
    if (!faces.length) continue;
    const face = faces.sort((a, b) => b.score - a.score)[0];
    const kind = detector.name.startsWith('res10') ? 'res10' : 'blazeface';
    const points = predictFromFace(sp, frame, face, kind);
    nuaa.push({
      ...measureFace(frame, face.box),
      ...headPose(points, frame),
      ear: meanEar(points),
      size: Math.min(face.box[2] - face.box[0], face.box[3] - face.box[1]),
      faces: faces.length,
    });
  }
}
console.log(`\nNUAA train real frames (every 4th): ${nuaa.length} with a face`);
for (const k of [
  'size',
  'sharpness',
  'brightness',
  'clipped',
  'yaw',
  'pitch',
  'roll',
  'relativeError',
  'ear',
]) {
  const v = nuaa.map((r) => r[k]);
  console.log(
    `${k.padEnd(14)} p1 ${f(q(v, 0.01), 3)}  p5 ${f(q(v, 0.05), 3)}  median ${f(median(v), 3)}  p95 ${f(q(v, 0.95), 3)}  p99 ${f(q(v, 0.99), 3)}`,
  );
}
console.log(`frames with more than one face: ${nuaa.filter((r) => r.faces > 1).length}`);
const o = QUALITY_DEFAULTS;
const refused = {
  minFaceSize: (r) => r.size < o.minFaceSize,
  minSharpness: (r) => r.sharpness < o.minSharpness,
  minBrightness: (r) => r.brightness < o.minBrightness,
  maxBrightness: (r) => r.brightness > o.maxBrightness,
  maxClipped: (r) => r.clipped > o.maxClipped,
  maxYaw: (r) => Math.abs(r.yaw) > o.maxYaw,
  maxPitch: (r) => Math.abs(r.pitch) > o.maxPitch,
  maxRoll: (r) => Math.abs(r.roll) > o.maxRoll,
  maxPoseError: (r) => r.relativeError > o.maxPoseError,
  minEar: (r) => r.ear < o.minEar,
};
console.log('NUAA train real frames each default limit refuses:');
for (const [name, fails] of Object.entries(refused)) {
  console.log(
    `  ${name.padEnd(14)} ${String(o[name]).padEnd(6)} ${nuaa.filter(fails).length} of ${nuaa.length}`,
  );
}
await detector.close();
await sp.close();
