// Quality gating (SessionOptions.qualityGate) on the held-out data: BPCER, APCER and the share of
// faces and frames the gate drops, with gating off and on. The VALIDATION subjects of
// packages/livenessnet/experiments/split.json (v2): NUAA 0003 0005 0009 0011, MSU-MFSD clients 003
// 008 012 034 054, livenessnet-community vishalkrishna alexcamargo tamletan thanglong; every image
// of them, no sampling. Then the replay-one-subject videos (real.mp4 bona fide, fake.mp4 attack)
// through a session. Default engine (default detector and classifier), the classifier's own fixed
// threshold, default quality limits.
//
//   npx tsc -b packages/pipeline && node packages/pipeline/bench/quality-gating.mjs [validation|dev] [out.md]
//
// Writes the markdown table to bench/results/quality-gating.md (or the path given). `dev` runs the
// dev subjects instead (where a choice of limits or default may look; validation may not) and only
// prints, unless given a path. Images: an
// image is accepted when its verdict (inputVerdict over its faces) is `live`; `undecided` (a gated
// face, or no face) is not accepted: a rejected attack for APCER, a rejected bona fide for BPCER.
// About 2-3 minutes on the shared 2-core machine.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { createLivenessEngine } from '../dist/engine.js';
import { inputVerdict } from '../dist/input-verdict.js';

const here = dirname(fileURLToPath(import.meta.url));
const role = process.argv[2] ?? 'validation';
if (!['validation', 'dev'].includes(role)) throw new Error(`role must be validation or dev, got ${role}`);
// The committed table is the validation one; a dev run only prints unless given a path.
const out = process.argv[3] ?? (role === 'validation' ? join(here, 'results/quality-gating.md') : undefined);
const split = JSON.parse(readFileSync(join(here, '../../livenessnet/experiments/split.json'), 'utf8'));
const list = (dir) =>
  readdirSync(dir)
    .filter((n) => /\.(jpe?g|png)$/i.test(n))
    .sort();

/** The images of `role`'s subjects in each dataset: `{ path, live }`. */
function validationSets() {
  const sets = {};
  const nuaa = split.sources.nuaa;
  sets.NUAA = nuaa[role].flatMap((s) =>
    ['real', 'fake'].flatMap((kind) =>
      list(sharedPath(nuaa.root, kind, s)).map((n) => ({
        path: sharedPath(nuaa.root, kind, s, n),
        live: kind === 'real',
      })),
    ),
  );
  const msu = split.sources['msu-mfsd-train'];
  const clients = new Set(msu[role]);
  const pattern = new RegExp(msu.subjectPattern);
  sets['MSU-MFSD'] = ['real', 'fake'].flatMap((kind) =>
    list(sharedPath(msu.root, kind))
      .filter((n) => clients.has(n.match(pattern)?.[1]))
      .map((n) => ({ path: sharedPath(msu.root, kind, n), live: kind === 'real' })),
  );
  const community = split.sources['livenessnet-community'];
  sets['livenessnet-community'] = community[role].flatMap((s) =>
    ['real', 'fake'].flatMap((kind) =>
      list(sharedPath(community.root, kind, s)).map((n) => ({
        path: sharedPath(community.root, kind, s, n),
        live: kind === 'real',
      })),
    ),
  );
  return sets;
}

/** A face's result as a track summary, for inputVerdict (as analyzeMedia does for images). */
const asTrack = (f) => ({
  ...f.evidence,
  verdict: f.verdict,
  reason: f.reason,
  meanFaceSize: Math.sqrt((f.box[2] - f.box[0]) * (f.box[3] - f.box[1])),
});

// The default classifier as a published install has it: MiniFASNet's files are ../shared's in a checkout.
process.env.FACE_LIVENESS_MINIFASNET_DIR ??= sharedPath('models/peers/minifasnet');
const engine = await createLivenessEngine();
const threshold = engine.threshold;
const started = performance.now();
const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
const frac = (n, d) => `${n}/${d} (${pct(n, d)})`;
const reasonsText = (counts) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ') || '-';

/** Counters of one dataset (or the pool) for one setting. */
const emptyStats = () => ({
  real: 0,
  fake: 0,
  rejectedReal: 0,
  acceptedFake: 0,
  undecidedReal: 0,
  undecidedFake: 0,
  noFaceReal: 0,
  noFaceFake: 0,
  faces: 0,
  gatedFaces: 0,
  gatedImages: 0,
  gatedWrongWithout: 0,
  imagesWithFace: 0,
  reasons: {},
});
function addTo(s, live, result, ungated) {
  const verdict = inputVerdict(result.faces.map(asTrack));
  const gated = result.faces.filter((f) => f.gatedBy);
  s[live ? 'real' : 'fake']++;
  if (live && verdict !== 'live') s.rejectedReal++;
  if (!live && verdict === 'live') s.acceptedFake++;
  if (verdict === 'undecided') s[live ? 'undecidedReal' : 'undecidedFake']++;
  if (result.faces.length === 0) s[live ? 'noFaceReal' : 'noFaceFake']++;
  else s.imagesWithFace++;
  s.faces += result.faces.length;
  s.gatedFaces += gated.length;
  if (gated.length) {
    s.gatedImages++;
    // Would the image have been an error without the gate? (Does the gate take out errors?)
    const without = inputVerdict(ungated.faces.map(asTrack));
    if (live ? without !== 'live' : without === 'live') s.gatedWrongWithout++;
  }
  for (const f of gated) for (const code of f.gatedBy) s.reasons[code] = (s.reasons[code] ?? 0) + 1;
}

const sets = validationSets();
const stats = {};
const pooled = { off: emptyStats(), on: emptyStats() };
for (const [name, items] of Object.entries(sets)) {
  stats[name] = { off: emptyStats(), on: emptyStats() };
  for (const { path, live } of items) {
    const frame = await readImage(path);
    const off = await engine.analyzeImage(frame, { qualityGate: false });
    const on = await engine.analyzeImage(frame, { qualityGate: true });
    for (const [setting, result] of [
      ['off', off],
      ['on', on],
    ]) {
      addTo(stats[name][setting], live, result, off);
      addTo(pooled[setting], live, result, off);
    }
  }
  console.error(`${name}: ${items.length} images (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
stats['pooled (3 datasets)'] = pooled;

const lines = [];
lines.push(
  `The ${role} subjects of \`packages/livenessnet/experiments/split.json\` (v2), every image; default engine (detector ${engine.info.detector.name}, classifier ${engine.info.classifier.name}, threshold ${threshold.toFixed(4)}), default quality limits. ` +
    'An image counts as accepted when its verdict is `live`; an `undecided` one (its face gated, or no face found) is not accepted: a rejected attack in APCER, a rejected bona fide in BPCER.',
  '',
  '| dataset | images (real / attack) | gating | BPCER | APCER | undecided real / attack | no face real / attack | BPCER / APCER of decided images | images gated (of those with a face) | of them errors without the gate | gated faces by failed check |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
);
for (const [name, { off, on }] of Object.entries(stats)) {
  for (const [setting, s] of [
    ['off', off],
    ['on', on],
  ]) {
    lines.push(
      `| ${name} | ${s.real} / ${s.fake} | ${setting} | ${frac(s.rejectedReal, s.real)} | ${frac(s.acceptedFake, s.fake)} | ` +
        `${pct(s.undecidedReal, s.real)} / ${pct(s.undecidedFake, s.fake)} | ${s.noFaceReal} / ${s.noFaceFake} | ` +
        `${pct(s.rejectedReal - s.undecidedReal, s.real - s.undecidedReal)} / ${pct(s.acceptedFake, s.fake - s.undecidedFake)} | ` +
        (setting === 'on'
          ? `${frac(s.gatedImages, s.imagesWithFace)} | ${frac(s.gatedWrongWithout, s.gatedImages)} | ${reasonsText(s.reasons)} |`
          : '- | - | - |'),
    );
  }
}

// ---- The replay-one-subject videos through a session (default policy), gating off and on.
const videos = [
  ['real.mp4 (bona fide)', sharedPath('data/replay-one-subject/videos/real.mp4'), true],
  ['fake.mp4 (replay attack)', sharedPath('data/replay-one-subject/videos/fake.mp4'), false],
];
lines.push(
  '',
  'The replay-one-subject videos through a session (default `fused` policy). Frame-level error: of the face-frames whose P(live) counts in the track (all classified ones without gating, the ungated ones with it), the share on the wrong side of the threshold (bona fide under it: BPCER; attack at or over it: APCER).',
  '',
  '| video | gating | frames | face-frames classified | gated (share) | gated by failed check | frame-level error | mean P(live) of the main track | verdict |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
);
for (const [name, path, live] of videos) {
  for (const setting of ['off', 'on']) {
    const session = engine.createSession({ qualityGate: setting === 'on' });
    let frames = 0;
    let scored = 0;
    let gated = 0;
    let wrong = 0;
    for await (const result of session.stream(path)) {
      frames++;
      for (const f of result.faces) {
        if (f.score === undefined) continue;
        scored++;
        if (f.gatedBy) {
          gated++;
          continue;
        }
        if (live ? f.score < threshold : f.score >= threshold) wrong++;
      }
    }
    const tracks = session.tracks();
    const main = [...tracks].sort((a, b) => b.frames * b.meanFaceSize - a.frames * a.meanFaceSize)[0];
    const reasons = {};
    for (const t of tracks)
      for (const [c, n] of Object.entries(t.gateReasons)) reasons[c] = (reasons[c] ?? 0) + n;
    await session.close();
    lines.push(
      `| ${name} | ${setting} | ${frames} | ${scored} | ${setting === 'on' ? frac(gated, scored) : '-'} | ${setting === 'on' ? reasonsText(reasons) : '-'} | ` +
        `${live ? 'BPCER' : 'APCER'} ${frac(wrong, scored - gated)} | ${main ? main.score.toFixed(3) : '-'} | ${session.verdict()} |`,
    );
  }
  console.error(`${name} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
await engine.close();

const seconds = ((performance.now() - started) / 1000).toFixed(0);
const doc = [
  `# Quality gating on the ${role} subjects`,
  '',
  `Made by \`npx tsc -b packages/pipeline && node packages/pipeline/bench/quality-gating.mjs${role === 'dev' ? ' dev' : ''}\` ` +
    `(${new Date().toISOString().slice(0, 16)} UTC, ${seconds} s). See the README's "Quality gating".`,
  '',
  ...lines,
  '',
].join('\n');
if (out) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, doc);
}
console.log(doc);
