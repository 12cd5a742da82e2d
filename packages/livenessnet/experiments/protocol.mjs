// The selection protocol (issue #17): a recipe (recipes.mjs) is trained for several seeds and judged by the
// mean and spread of its dev numbers only. Validation (or, with --lodo, the held-out dataset) is scored only by
// --final, once per recipe: a second --final is refused unless --force, and the first one stays on record.
//   node experiments/protocol.mjs --recipe NAME [--seeds 1,2,3] [--lodo msu|nuaa] [--final [--force]]
//        [--work /tmp/liveness-exp] [--out experiments/results/protocol]
// Resumable: data, trained seeds and dev scores already under --work are reused, so rerunning the same
// command picks up where a run stopped. Writes <out>/<name>.json and .md (name = recipe[-lodo-X]), and with
// --final <name>.final.json and .md. Threshold of every seed: its pooled dev equal-error point.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedPath } from '@face-liveness/core/testing';
import { cropFace, LivenessClassifier } from '@face-liveness/livenessnet';
import { MiniFasNetClassifier } from '@face-liveness/minifasnet';
import { eerThreshold, metricsBySet, scoreItems } from './lib/score.mjs';
import { listRole, readSplit } from './lib/split.mjs';
import { recipes } from './recipes.mjs';

const { values: args } = parseArgs({
  options: {
    recipe: { type: 'string' },
    seeds: { type: 'string', default: '1,2,3' },
    lodo: { type: 'string' },
    final: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    work: { type: 'string', default: '/tmp/liveness-exp' },
    out: { type: 'string', default: new URL('results/protocol', import.meta.url).pathname },
  },
});
// The named MiniFASNet models' files are ../shared's (the package carries them only once packed).
process.env.FACE_LIVENESS_MINIFASNET_DIR ??= sharedPath('models/peers/minifasnet');
const recipe = recipes[args.recipe];
if (!recipe) throw new Error(`--recipe must be one of ${Object.keys(recipes).join(', ')}`);
const seeds = args.seeds.split(',').map(Number);
if (seeds.length < 3 && !recipe.peer)
  process.stderr.write('warning: fewer than 3 seeds; the protocol compares recipes over >= 3\n');
const split = readSplit();
if (args.lodo && !split.lodo[args.lodo])
  throw new Error(`--lodo must be one of ${Object.keys(split.lodo).slice(1)}`);
const suffix = args.lodo ? `-lodo-${args.lodo}` : '';
const name = `${args.recipe}${suffix}`;
const here = new URL('.', import.meta.url).pathname;
const facesCache = join(args.work, 'faces.jsonl');
mkdirSync(args.out, { recursive: true });
const log = (text) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);

function node(script, scriptArgs) {
  log(`node ${script} ${scriptArgs.join(' ')}`);
  const result = spawnSync(process.execPath, [join(here, script), ...scriptArgs], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} failed with status ${result.status}`);
}

// A recipe is trained (data + trainer), a `peer` (a shipped model scored as is: one run, whatever --seeds says), or
// an ensemble of `members` (the mean P(live) of each seed's members; a peer member is the same in every seed).
function runsOf(recipeName, recipeSeeds) {
  const r = recipes[recipeName];
  const dir = join(args.work, 'protocol', `${recipeName}${suffix}`);
  if (r.peer) {
    const run = { seed: 'fixed', runDir: dir, score: (role) => scored(dir, role, () => peerScorer(r.peer)) };
    return recipeSeeds.map((seed) => ({ ...run, seed: recipeName === args.recipe ? 'fixed' : seed }));
  }
  if (r.members) {
    const memberRuns = r.members.map((m) => runsOf(m, recipeSeeds));
    return recipeSeeds.map((seed, i) => ({
      seed,
      runDir: join(dir, `seed${seed}`),
      score: async (role) => {
        const result = meanScores(await Promise.all(memberRuns.map((runs) => runs[i].score(role))));
        // Written for inspection (failures.mjs); always recomputed from the members' cached scores.
        mkdirSync(join(dir, `seed${seed}`), { recursive: true });
        writeFileSync(join(dir, `seed${seed}`, `${role}-scores.json`), `${JSON.stringify(result)}\n`);
        return result;
      },
    }));
  }
  const dataDir = join(args.work, `data-${r.data}${suffix}`);
  if (!existsSync(join(dataDir, 'prepared.json'))) {
    node('prepare.mjs', ['--out', dataDir, ...r.prepare, ...(args.lodo ? ['--lodo', args.lodo] : [])]);
    writeFileSync(
      join(dataDir, 'prepared.json'),
      `${JSON.stringify({ prepare: r.prepare, lodo: args.lodo })}\n`,
    );
  }
  return recipeSeeds.map((seed) => {
    const runDir = join(dir, `seed${seed}`);
    if (!existsSync(join(runDir, 'run.json'))) {
      node(r.trainer, ['--data', dataDir, '--run', runDir, ...r.train, '--seed', String(seed)]);
    }
    const model = join(runDir, 'model');
    return { seed, runDir, score: (role) => scored(runDir, role, () => livenessNetScorer(model, r.margin)) };
  });
}

async function livenessNetScorer(model, margin) {
  const classifier = await LivenessClassifier.load(model);
  return {
    scoreFace: async (frame, box) => (await classifier.classify(cropFace(frame, box, { margin }))).score,
    close: () => classifier.close(),
  };
}

async function peerScorer(peer) {
  const classifier = await MiniFasNetClassifier.load(peer);
  return {
    scoreFace: async (frame, box) => (await classifier.classifyFace(frame, box)).score,
    close: () => classifier.close(),
  };
}

/** The members' mean score per item (none where a member has none), and their summed time per face. */
function meanScores(results) {
  const rows = results[0].rows.map((row, i) => {
    const scores = results.map((r) => r.rows[i]);
    if (scores.some((s) => s.image !== row.image)) throw new Error(`members scored different items at ${i}`);
    const { score, ...rest } = row;
    if (scores.some((s) => s.score === undefined)) return rest;
    return {
      ...rest,
      score: Number((scores.reduce((a, s) => a + s.score, 0) / scores.length).toPrecision(6)),
    };
  });
  return { rows, msPerFace: results.reduce((a, r) => a + r.msPerFace, 0) };
}

async function scored(runDir, role, loadScorer) {
  const path = join(runDir, `${role}-scores.json`);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const scorer = await loadScorer();
  const result = await scoreItems(scorer.scoreFace, listRole(role, split, roleOptions), { facesCache });
  await scorer.close();
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path, `${JSON.stringify(result)}\n`);
  return result;
}

const roleOptions = { community: true, lodo: args.lodo };
const runs = runsOf(args.recipe, recipe.peer ? [seeds[0]] : seeds);

const perSeed = [];
for (const run of runs) {
  const dev = await run.score('dev');
  const threshold = eerThreshold(dev.rows);
  const trainedPath = join(run.runDir, 'run.json');
  const trained = existsSync(trainedPath) ? JSON.parse(readFileSync(trainedPath, 'utf8')) : undefined;
  perSeed.push({
    seed: run.seed,
    threshold: Number(threshold.toPrecision(6)),
    dev: metricsBySet(dev.rows, threshold),
    msPerFace: Number(dev.msPerFace.toFixed(3)),
    ...(trained && { trainMinutes: Number(trained.minutes.toFixed(1)) }),
  });
  log(`${name} seed ${run.seed}: dev AUC ${perSeed.at(-1).dev.all.auc}, threshold ${threshold.toFixed(4)}`);
}

/** mean, sample standard deviation, min, max and spread (max - min) of each metric over seeds. */
function aggregate(rows, pick) {
  const out = {};
  for (const set of Object.keys(pick(rows[0]))) {
    out[set] = {};
    for (const key of ['auc', 'eer', 'acer', 'apcer', 'bpcer']) {
      const v = rows.map((r) => pick(r)[set]?.[key]).filter((x) => x !== undefined);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
      const r4 = (x) => Math.round(x * 1e4) / 1e4;
      out[set][key] = {
        mean: r4(mean),
        sd: r4(sd),
        min: r4(Math.min(...v)),
        max: r4(Math.max(...v)),
        spread: r4(Math.max(...v) - Math.min(...v)),
      };
    }
  }
  return out;
}

const pct = (v) => `${(v * 100).toFixed(1)}%`;
const SHORT = { all: 'pooled', nuaa: 'NUAA', 'msu-mfsd': 'MSU', 'livenessnet-community': 'community' };
function table(title, rows, pick, summary) {
  const sets = Object.keys(summary);
  const lines = [
    `| ${title} | threshold | ${sets.map((s) => `${SHORT[s] ?? s} AUC | EER | ACER`).join(' | ')} |`,
    `|---|---|${sets.map(() => '---|---|---|').join('')}`,
  ];
  for (const r of rows) {
    const cells = sets.map((s) => {
      const m = pick(r)[s];
      return m ? `${m.auc.toFixed(3)} | ${pct(m.eer)} | ${pct(m.acer)}` : ' | | ';
    });
    lines.push(
      `| ${typeof r.seed === 'number' ? `seed ${r.seed}` : r.seed} | ${r.threshold.toFixed(4)} | ${cells.join(' | ')} |`,
    );
  }
  const stat = (m, f) => `${f(m.mean)} ± ${f(m.sd)} (${f(m.min)}-${f(m.max)})`;
  const auc = (v) => v.toFixed(3);
  const cells = sets.map(
    (s) => `${stat(summary[s].auc, auc)} | ${stat(summary[s].eer, pct)} | ${stat(summary[s].acer, pct)}`,
  );
  lines.push(`| **mean ± sd (min-max)** | | ${cells.join(' | ')} |`);
  return lines.join('\n');
}

const devSummary = aggregate(perSeed, (r) => r.dev);
const counts = Object.entries(perSeed[0].dev)
  .map(([s, m]) => `${s} ${m.bonaFide} bona fide / ${m.attacks} attacks`)
  .join('; ');
const result = {
  name,
  recipe: args.recipe,
  what: recipe.what,
  lodo: args.lodo ?? null,
  seeds,
  devSummary,
  perSeed,
};
writeFileSync(join(args.out, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
const md = [
  `# ${name}: dev, ${seeds.length} seeds`,
  '',
  recipe.what,
  '',
  `Dev only (${counts}); each seed at its own pooled dev EER threshold; ACER = (worst APCER + BPCER) / 2.`,
  '',
  table('seed', perSeed, (r) => r.dev, devSummary),
  '',
  `Inference ${(perSeed.reduce((a, r) => a + r.msPerFace, 0) / perSeed.length).toFixed(2)} ms per face (crop and classify, all members, wasm / ONNX Runtime CPU, mean over seeds; machine shared).`,
];
writeFileSync(join(args.out, `${name}.md`), `${md.join('\n')}\n`);
log(`wrote ${join(args.out, `${name}.md`)}`);

if (args.final) {
  const finalPath = join(args.out, `${name}.final.json`);
  const previous = existsSync(finalPath) ? JSON.parse(readFileSync(finalPath, 'utf8')) : undefined;
  if (previous && !args.force) {
    throw new Error(
      `${finalPath} exists (first final run ${previous.first.at}): the held-out data is scored once; --force to rerun (the first run stays on record)`,
    );
  }
  const role = args.lodo ? 'test' : 'validation';
  const finals = [];
  for (const [i, run] of runs.entries()) {
    const heldOut = await run.score(role);
    finals.push({
      seed: run.seed,
      threshold: perSeed[i].threshold,
      [role]: metricsBySet(heldOut.rows, perSeed[i].threshold),
    });
  }
  const summary = aggregate(finals, (r) => r[role]);
  const record = { at: new Date().toISOString(), seeds, role, summary, perSeed: finals };
  const final = previous
    ? { ...previous, reruns: [...(previous.reruns ?? []), record] }
    : { name, first: record };
  writeFileSync(finalPath, `${JSON.stringify(final, null, 2)}\n`);
  const finalMd = [
    `# ${name}: ${role} (final, ${record.at})`,
    '',
    `Thresholds fixed on dev before this was scored. ${previous ? `Rerun with --force; the first final run was ${previous.first.at}.` : 'First final run.'}`,
    '',
    table('seed', finals, (r) => r[role], summary),
    '',
    'Calibration: ACER at the dev threshold against the best this set allowed (its own oracle threshold), mean over seeds.',
    '',
    '| set | ACER at the dev threshold | best ACER | oracle threshold (mean) |',
    '|---|---|---|---|',
    ...Object.keys(summary).map((set) => {
      const mean = (f) => finals.reduce((a, r) => a + (r[role][set]?.[f] ?? 0), 0) / finals.length;
      return `| ${set} | ${pct(mean('acer'))} | ${pct(mean('bestAcer'))} | ${mean('bestThreshold').toFixed(4)} |`;
    }),
  ];
  writeFileSync(join(args.out, `${name}.final.md`), `${finalMd.join('\n')}\n`);
  log(`wrote ${finalPath}`);
}
