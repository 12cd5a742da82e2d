// Start-up cost of the runtime, each measured in a fresh process (what a service or a CLI run
// pays once): createLivenessEngine() with default options + one analyzeImage of a 640x480 JPEG,
// landmarks on; then the cost of a session. Prints wall time, peak RSS, and the node_modules
// packages the process opened (from the ESM loader's resolutions).
// Usage: npm run bench -w @face-liveness/pipeline  (or node bench/startup.mjs [runs])
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '@face-liveness/core/testing';

const NUAA = sharedPath('data/nuaa/real/0007');
const runs = Number(process.argv[2] ?? 3);
if (!existsSync(NUAA)) {
  console.log(`skipped: needs ${NUAA}`);
  process.exit(0);
}
const image = join(NUAA, readdirSync(NUAA).sort()[0]);
const child = fileURLToPath(new URL('./startup-child.mjs', import.meta.url));
const hook = fileURLToPath(new URL('./record-resolutions.mjs', import.meta.url));
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; image ${image} (640x480)`,
);
const results = [];
for (let i = 0; i < runs; i++) {
  const out = execFileSync(process.execPath, ['--import', hook, child, image], { encoding: 'utf8' });
  results.push(JSON.parse(out.trim().split('\n').at(-1)));
}
const median = (key) => results.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(
  `createLivenessEngine() + analyzeImage, fresh process, median of ${runs}: ` +
    `${median('engineMs').toFixed(0)} ms to load + ${median('firstImageMs').toFixed(0)} ms first image ` +
    `= ${median('totalMs').toFixed(0)} ms; peak RSS ${median('peakRssMiB').toFixed(0)} MiB ` +
    `(process start to import: ${median('importMs').toFixed(0)} ms)`,
);
console.log(`createSession(): ${median('sessionUs').toFixed(1)} µs each (mean of 1000)`);
const last = results.at(-1);
console.log(`detector: ${last.detector}; faces found: ${last.faces}`);
console.log(`node_modules packages opened: ${last.packages.join(', ')}`);
