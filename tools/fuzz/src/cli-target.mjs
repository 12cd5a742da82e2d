// The CLI target: media cases batched into one call per command (the CLI processes every input
// and reports each, in order, as a JSON record), each case's file in a directory of its own. A
// batch whose process crashed, hung or printed an internal error is run again one case at a time,
// so that the outcome lands on the case that caused it. Model cases are one call each.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badCliRecord, internalText, judgeAccepted, judgeRefused } from './oracle.mjs';
import { CLI_BIN } from './paths.mjs';
import { run } from './process.mjs';

const ARGS = { detect: [], classify: [], analyze: ['--fps', '10'] };
// Rough time a case takes on a busy 2-core machine, to give a batch its time limit.
const EXPECTED_MS = { detect: 400, classify: 400, analyze: 2500 };

function cliArgs(command, extra, paths) {
  return [CLI_BIN, command, '--json', '--quiet', ...ARGS[command], ...extra, ...paths];
}

function writeCase(dir, c) {
  const caseDir = join(dir, `case-${c.index}`);
  mkdirSync(caseDir, { recursive: true });
  const input = join(caseDir, `input.${c.ext}`);
  writeFileSync(input, c.bytes);
  c.inputPath = input;
  if (c.model) {
    const modelDir = join(caseDir, c.model.store ? 'store' : 'model');
    mkdirSync(modelDir, { recursive: true });
    for (const [name, bytes] of Object.entries(c.model.files)) writeFileSync(join(modelDir, name), bytes);
    c.modelDir = modelDir;
  }
  return caseDir;
}

function parseRecords(stdout) {
  const records = new Map();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const r = JSON.parse(line);
      const key = r.image ?? r.input;
      if (typeof key === 'string') records.set(key, r);
    } catch {}
  }
  return records;
}

/** The outcome of one case from its record, given the process's own result. */
function judgeRecord(c, record) {
  if (record.error !== undefined)
    return judgeRefused(c, String(record.error), { names: [c.inputPath], limit: /megapixels/ });
  return judgeAccepted(c, badCliRecord(c.command, record));
}

function processProblem(result, allowed) {
  if (result.timedOut) return { outcome: 'hang', detail: `no answer in ${result.ms} ms` };
  if (result.signal)
    return { outcome: 'crash', detail: `killed by ${result.signal}: ${result.stderr.slice(-500)}` };
  if (!allowed.includes(result.code))
    return { outcome: 'crash', detail: `exit code ${result.code}: ${result.stderr.slice(-500)}` };
  const internal = internalText(result.stderr);
  if (internal)
    return {
      outcome: 'crash',
      detail: `internal error on stderr: ${internal} | ${result.stderr.slice(-500)}`,
    };
  return undefined;
}

async function runOne(c, baseEnv, timeoutMs) {
  const env = { ...baseEnv };
  let extra = [];
  if (c.model) {
    extra = c.model.args.map((a) => a.replace('{dir}', c.modelDir));
    if (c.model.store) env.FACE_LIVENESS_HOME = c.modelDir;
  }
  const args = cliArgs(c.command, extra, [c.inputPath]);
  const result = await run(process.execPath, args, { env, timeoutMs });
  c.commandLine = `${c.model?.store ? `FACE_LIVENESS_HOME=${c.modelDir} ` : ''}node ${args.join(' ')}`;
  c.output = `exit ${result.code ?? result.signal}${result.timedOut ? ' (timed out)' : ''}\n--- stdout\n${result.stdout.slice(0, 4000)}\n--- stderr\n${result.stderr.slice(-4000)}`;
  const problem = processProblem(result, [0, 1]);
  if (problem) return problem;
  const record = parseRecords(result.stdout).get(c.inputPath);
  if (record) {
    const judged = judgeRecord(c, record);
    if (record.error === undefined && result.code !== 0)
      return {
        outcome: 'crash',
        detail: `exit ${result.code} although its one input was done: ${result.stderr.slice(-300)}`,
      };
    if (record.error !== undefined && result.code !== 1)
      return { outcome: 'wrong', detail: `exit ${result.code} with an error record` };
    return judged;
  }
  // No record: the run stopped before the input (a model or store that cannot be used).
  if (result.code === 0) return { outcome: 'wrong', detail: 'exit 0 without a result for the input' };
  const names = c.model ? [c.modelDir, 'manifest', 'model', 'FACE_LIVENESS_HOME'] : [c.inputPath];
  return judgeRefused(c, result.stderr.trim(), { names });
}

export async function runCliCases(cases, { dir, env, timeoutMs, batchSize = 40, onResult }) {
  for (const c of cases) writeCase(dir, c);
  const single = cases.filter((c) => c.model);
  const groups = new Map();
  for (const c of cases.filter((x) => !x.model)) {
    if (!groups.has(c.command)) groups.set(c.command, []);
    groups.get(c.command).push(c);
  }
  for (const [command, group] of groups) {
    const size = command === 'analyze' ? Math.max(1, Math.floor(batchSize / 4)) : batchSize;
    for (let i = 0; i < group.length; i += size) {
      const batch = group.slice(i, i + size);
      const budget = timeoutMs + EXPECTED_MS[command] * batch.length * 2;
      const args = cliArgs(
        command,
        [],
        batch.map((c) => c.inputPath),
      );
      const result = await run(process.execPath, args, { env, timeoutMs: budget });
      const records = parseRecords(result.stdout);
      const failed = batch.filter((c) => records.get(c.inputPath)?.error !== undefined);
      const problem =
        processProblem(result, [0, 1]) ??
        (result.code !== (failed.length > 0 ? 1 : 0) ? { outcome: 'exit' } : undefined);
      for (const c of batch) {
        const record = records.get(c.inputPath);
        if (problem || !record) {
          single.push(c); // judged alone, below
          continue;
        }
        c.commandLine = `node ${cliArgs(command, [], [c.inputPath]).join(' ')}`;
        c.output = JSON.stringify(record);
        onResult(c, judgeRecord(c, record));
      }
    }
  }
  for (const c of single) onResult(c, await runOne(c, env, timeoutMs));
}
