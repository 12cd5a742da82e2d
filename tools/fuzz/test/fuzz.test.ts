import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, SEED_IMAGE, SEED_VIDEO, SERVICE_MAIN } from '../src/paths.mjs';
import { formatTable, runFuzz } from '../src/run.mjs';

// The CI sample of the fuzz suite: 200 cases of seed 1 through the CLI and the HTTP service, in
// 48 s on a busy 2-core machine (load average 5), so a unit test. The full run is
// `npm run fuzz -- --count 10000`; a failing case here reproduces with
// `npm run fuzz -- --seed 1 --case N --verbose` (its files land in tools/fuzz/failures/).
// The service is an example, not part of `npm run build`: build it here (tsc -b is a no-op when current).
const REPO = join(import.meta.dirname, '..', '..', '..');
execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-b', join(REPO, 'examples/http-service')]);
const missing = [
  [SEED_IMAGE, 'the shared data (../shared or FACE_LIVENESS_SHARED)'],
  [SEED_VIDEO, 'the shared data (../shared or FACE_LIVENESS_SHARED)'],
  [`${CLI_BIN.replace(/bin\/face-liveness\.js$/, 'dist/main.js')}`, 'the built CLI (npm run build)'],
  [SERVICE_MAIN, 'the built HTTP service (npm run build)'],
].find(([path]) => !existsSync(path));

describe.skipIf(missing)(`fuzz sample${missing ? ` (skipped: no ${missing[1]})` : ''}`, () => {
  it('200 seeded cases: no crash, no hang, no silent wrong answer', { timeout: 600_000 }, async () => {
    const out = join(import.meta.dirname, '..', 'failures');
    const result = await runFuzz({ count: 200, seed: 1, target: 'all', timeoutMs: 60_000, out });
    const failures = result.failures.map(
      (f: {
        index: number;
        target: string;
        outcome: string;
        category: string;
        mutation: string;
        detail: string;
      }) => `case ${f.index} (${f.target}): ${f.outcome} on ${f.category} ${f.mutation}: ${f.detail}`,
    );
    expect(result.totals.tried, formatTable(result)).toBe(200);
    expect(failures, formatTable(result)).toEqual([]);
  });
});
