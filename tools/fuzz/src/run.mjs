// One fuzz run: makes the cases of (seed, count), sends them through the targets, counts the
// outcomes per category and writes each failing case, with what reproduces it, to `out`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEDIA_CATEGORIES, MODEL_CATEGORIES, makeCase } from './cases.mjs';
import { runCliCases } from './cli-target.mjs';
import { OUTCOMES } from './oracle.mjs';
import { caseSeed } from './prng.mjs';
import { makeSeeds } from './seeds.mjs';
import { runServiceCases, Service } from './service-target.mjs';

const FAILURES = new Set(['crash', 'hang', 'wrong']);
const SAVED = new Set([...FAILURES, 'unclear error']);

export function caseIndices({ count, cases }) {
  return cases?.length ? cases : Array.from({ length: count }, (_, i) => i);
}

/**
 * @param {{count: number, seed: number, target: 'cli'|'service'|'all', timeoutMs: number,
 *   cases?: number[], out?: string, log?: (line: string) => void}} options
 */
export async function runFuzz(options) {
  const { seed, timeoutMs, out, log = () => {} } = options;
  const targets = options.target === 'all' ? ['cli', 'service'] : [options.target];
  const seeds = await makeSeeds();
  const indices = caseIndices(options);
  const work = mkdtempSync(join(tmpdir(), 'face-liveness-fuzz-'));
  const storeDir = join(work, 'service-store');
  mkdirSync(storeDir);
  // The CLI runs against an empty temporary store: BlazeFace and LivenessNet from the packages.
  const env = { ...process.env, FACE_LIVENESS_HOME: join(work, 'cli-store'), NO_COLOR: '1' };
  const counts = {};
  const failures = [];
  const unclear = [];
  let done = 0;
  const started = Date.now();
  const onResult = (c, { outcome, detail }) => {
    const row = ((counts[c.target] ??= {})[c.category] ??= Object.fromEntries(
      ['tried', ...OUTCOMES].map((k) => [k, 0]),
    ));
    row.tried++;
    row[outcome]++;
    done++;
    if (done % 50 === 0)
      log(`${done}/${indices.length} cases, ${Math.round((Date.now() - started) / 1000)} s`);
    if (options.verbose && !SAVED.has(outcome))
      log(
        `${outcome}: case ${c.index} (${c.target} ${c.command}, ${c.category}, ${c.mutation}, expect ${c.expect})${detail ? `: ${detail.slice(0, 160)}` : ''}`,
      );
    if (SAVED.has(outcome)) {
      const failure = {
        seed,
        index: c.index,
        runTarget: options.target,
        caseSeed: c.seed,
        target: c.target,
        category: c.category,
        mutation: c.mutation,
        command: c.command,
        expect: c.expect,
        outcome,
        detail,
      };
      if (FAILURES.has(outcome)) failures.push(failure);
      else unclear.push(failure);
      log(`${outcome.toUpperCase()}: case ${c.index} (${c.target}, ${c.category}, ${c.mutation}): ${detail}`);
      if (out) saveFailure(out, c, failure, options.target);
    }
  };
  // Cases are made and run a chunk at a time: the model cases hold megabytes each.
  const chunk = 100;
  const service = targets.includes('service') ? new Service({ env, storeDir }) : undefined;
  try {
    for (let i = 0; i < indices.length; i += chunk) {
      const cases = indices
        .slice(i, i + chunk)
        .map((index) => makeCase(seeds, caseSeed(seed, index), index, targets));
      const cliCases = cases.filter((c) => c.target === 'cli');
      const serviceCases = cases.filter((c) => c.target === 'service');
      const dir = join(work, `cli-${i}`);
      if (cliCases.length) await runCliCases(cliCases, { dir, env, timeoutMs, onResult });
      rmSync(dir, { recursive: true, force: true });
      if (serviceCases.length) {
        if (!service.url) await service.start();
        await runServiceCases(serviceCases, { service, timeoutMs, onResult });
      }
    }
  } finally {
    await service?.stop();
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
  const totals = Object.fromEntries(['tried', ...OUTCOMES].map((k) => [k, 0]));
  for (const rows of Object.values(counts))
    for (const row of Object.values(rows)) for (const k in totals) totals[k] += row[k];
  return {
    seed,
    count: indices.length,
    counts,
    totals,
    failures,
    unclear,
    seconds: (Date.now() - started) / 1000,
    exitCode: failures.length ? 1 : 0,
  };
}

function saveFailure(out, c, failure, runTarget) {
  const dir = join(out, `seed-${failure.seed}-case-${c.index}-${failure.outcome.replace(' ', '-')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `input.${c.ext}`), c.bytes);
  if (c.model) {
    const modelDir = join(dir, c.model.store ? 'store' : 'model');
    mkdirSync(modelDir, { recursive: true });
    for (const [name, bytes] of Object.entries(c.model.files)) writeFileSync(join(modelDir, name), bytes);
  }
  writeFileSync(
    join(dir, 'case.json'),
    `${JSON.stringify({ ...failure, commandLine: c.commandLine }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'output.txt'), `${c.output ?? ''}\n`);
  writeFileSync(
    join(dir, 'REPRODUCE.txt'),
    `npm run fuzz -- --seed ${failure.seed} --case ${c.index} --target ${runTarget}\n` +
      `# or by hand, with the files of this folder in place of the temporary ones:\n${c.commandLine ?? ''}\n`,
  );
}

/** The counts as a table: one row per target and category, then the totals. */
export function formatTable(result) {
  const header = ['target', 'category', 'tried', ...OUTCOMES];
  const rows = [];
  const order = [...Object.keys(MEDIA_CATEGORIES), ...Object.keys(MODEL_CATEGORIES)];
  for (const target of ['cli', 'service']) {
    const byCategory = result.counts[target];
    if (!byCategory) continue;
    for (const category of order) {
      const row = byCategory[category];
      if (row) rows.push([target, category, row.tried, ...OUTCOMES.map((o) => row[o])]);
    }
  }
  rows.push(['all', 'total', result.totals.tried, ...OUTCOMES.map((o) => result.totals[o])]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i < 2 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
