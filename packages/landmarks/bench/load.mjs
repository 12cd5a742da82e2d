// Start-up cost of the 68-point model, each load in a fresh process (child_process) so that no
// JIT, heap or allocator state is shared: parsing dlib's .dat (no cache), the first load (parse
// and write the cache) and a load from the cache. Prints wall and CPU time of `ShapePredictor.load`,
// RSS before and after it (after GC) and the process's peak RSS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DAT = process.env.DLIB_68 ?? '/usr/share/dlib/shape_predictor_68_face_landmarks.dat';
const MB = 2 ** 20;

async function child(mode, storeDir) {
  const { ModelStore } = await import('@face-liveness/core');
  const { ShapePredictor } = await import('../dist/index.js');
  globalThis.gc();
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const sp = await ShapePredictor.load(DAT, { store: new ModelStore(storeDir), cache: mode !== 'dat' });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  // what the load left behind (the .dat's bytes, parse garbage) is not the model's
  await new Promise((resolve) => setTimeout(resolve, 100));
  globalThis.gc();
  globalThis.gc();
  const line = {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBefore: before / MB,
    rssAfter: process.memoryUsage().rss / MB,
    peakRss: process.resourceUsage().maxRSS / 1024,
  };
  await sp.close();
  process.stdout.write(JSON.stringify(line));
}

function run(mode, storeDir) {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), mode, storeDir]);
  return JSON.parse(out.toString());
}

if (process.argv[2]) {
  await child(process.argv[2], process.argv[3]);
} else {
  const rounds = Number(process.env.ROUNDS ?? 5);
  const store = mkdtempSync(join(tmpdir(), 'sp-load-bench-'));
  const results = { dat: [], build: [], cache: [] };
  try {
    run('dat', store); // the .dat into the page cache: every run below reads it from memory
    for (let i = 0; i < rounds; i++) {
      results.dat.push(run('dat', store));
      rmSync(join(store, 'cache'), { recursive: true, force: true });
      results.build.push(run('build', store));
      results.cache.push(run('cache', store));
    }
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
  const label = {
    dat: 'parse the .dat (cache: false)',
    build: 'first load: parse + write cache',
    cache: 'load from the cache',
  };
  const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
  const cell = (rs, k) => {
    const xs = rs.map((r) => r[k]);
    return `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;
  };
  console.log(
    `${rounds} fresh processes each, median (min-max); load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  );
  console.log('| load | wall ms | CPU ms | RSS before, MB | RSS after (GC), MB | peak RSS, MB |');
  console.log('|---|---|---|---|---|---|');
  for (const [mode, rs] of Object.entries(results)) {
    const cols = ['ms', 'cpuMs', 'rssBefore', 'rssAfter', 'peakRss'].map((k) => cell(rs, k));
    console.log(`| ${label[mode]} | ${cols.join(' | ')} |`);
  }
}
