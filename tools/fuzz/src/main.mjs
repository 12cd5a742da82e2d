#!/usr/bin/env node
// npm run fuzz -- --count 10000 --seed 1 --target all
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { REPO } from './paths.mjs';
import { formatTable, runFuzz } from './run.mjs';

const whole = (min) => (value) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number >= ${min}`);
  return n;
};

const program = new Command('fuzz')
  .description(
    'Seeded fuzz of the face-liveness CLI and HTTP service: mutated images, videos and containers, text, ' +
      'random and empty files, corrupt models and manifests. Exits 1 on any crash, hang or wrong answer.',
  )
  .option('--count <n>', 'number of cases', whole(1), 200)
  .option('--seed <s>', 'seed of the run: the same seed gives the same cases', whole(0), 1)
  .option('--target <t>', 'cli, service or all', 'all')
  .option('--timeout-ms <ms>', 'time a case may take before it counts as a hang', whole(100), 60_000)
  .option('--case <i...>', 'run only these case indices of the run (to reproduce one)')
  .option('--out <dir>', 'folder for failing cases', resolve(REPO, 'tools', 'fuzz', 'failures'))
  .option('--keep', 'keep the temporary folder of the run')
  .option('--verbose', "print every case's outcome on stderr")
  .option('--json', 'print the result as JSON instead of a table')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.parse();
const o = program.opts();
if (!['cli', 'service', 'all'].includes(o.target)) {
  console.error(`--target ${o.target}: must be cli, service or all`);
  process.exit(2);
}
const cases = o.case?.map((x) => whole(0)(x));
console.error(
  `fuzz: seed ${o.seed}, ${cases ? `cases ${cases.join(' ')}` : `${o.count} cases`}, target ${o.target}, timeout ${o.timeoutMs} ms`,
);
const result = await runFuzz({
  count: o.count,
  seed: o.seed,
  target: o.target,
  timeoutMs: o.timeoutMs,
  cases,
  out: o.out,
  keep: o.keep,
  verbose: o.verbose,
  log: (line) => console.error(line),
});
if (o.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(formatTable(result));
  console.log(
    `\nseed ${result.seed}, ${result.count} cases in ${result.seconds.toFixed(0)} s: ` +
      `${result.totals.crash} crashes, ${result.totals.hang} hangs, ${result.totals.wrong} silent wrong answers` +
      ` (and ${result.totals['unclear error']} refusals with a misleading reason)`,
  );
  if (result.failures.length || result.unclear.length)
    console.log(`failing cases written to ${o.out} (each with REPRODUCE.txt)`);
}
process.exitCode = result.exitCode;
