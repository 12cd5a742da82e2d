// Load test of the service on loopback: starts the built service (dist/main.js) as a child process,
// posts one photo at concurrency 4, 16 and 64 for SECONDS each (default 60), and prints, per level,
// the accepted throughput, the p50/p99 latency of accepted (200) requests, the status codes and the
// service's peak resident memory. Exits 1 when the peak passes --max-rss-mib (the documented bound).
//
//   npm run load-test -w @face-liveness/example-http-service -- [SECONDS] [--image FILE] [--max-rss-mib N]
//
// The service's own settings come from the environment (CONCURRENCY, MAX_QUEUE, ...), as in production;
// the rate limit is lifted, since every request comes from one address.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sharedPath } from '@face-liveness/core/testing';
import autocannon from 'autocannon';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    image: {
      type: 'string',
      default: sharedPath('data/msu-mfsd-train/real/real_client002_android_SD_scene01.jpg'),
    },
    'max-rss-mib': { type: 'string', default: '1280' },
  },
});
const seconds = Number(positionals[0] ?? 60);
const maxRssMib = Number(values['max-rss-mib']);
if (!(seconds >= 1 && maxRssMib > 0)) {
  console.error('usage: load-test [SECONDS >= 1] [--image FILE] [--max-rss-mib N]');
  process.exit(2);
}
const body = readFileSync(values.image);

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const service = spawn(process.execPath, [fileURLToPath(new URL('../dist/main.js', import.meta.url))], {
  env: {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    RATE_LIMIT_MAX: '1000000',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
const stop = () => service.exitCode === null && service.kill('SIGTERM');
process.on('exit', stop);

const mib = (field) => {
  const line = readFileSync(`/proc/${service.pid}/status`, 'utf8').match(
    new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'),
  );
  return line ? Number(line[1]) / 1024 : 0;
};

for (let waited = 0; ; waited += 250) {
  const ready = await fetch(`${url}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ready) break;
  if (waited > 120_000 || service.exitCode !== null)
    throw new Error('the service did not become ready in 120 s');
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const startRss = mib('VmRSS');

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const rows = [];
for (const connections of [4, 16, 64]) {
  const latencies = [];
  const statuses = {};
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, mib('VmRSS'));
  }, 200);
  const instance = autocannon({
    url: `${url}/v1/liveness`,
    method: 'POST',
    headers: { 'content-type': 'image/jpeg' },
    body,
    connections,
    duration: seconds,
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 200) latencies.push(ms);
  });
  const result = await instance;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  rows.push({
    connections,
    accepted: latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses:
      Object.entries(statuses)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ') + (result.errors ? `, errors: ${result.errors}` : ''),
    peak: Math.max(peak, mib('VmRSS')),
  });
}
const highWater = mib('VmHWM');
stop();

console.log(
  `\n${seconds} s per level, photo of ${body.length} bytes; RSS once ready ${startRss.toFixed(0)} MiB\n`,
);
console.log('| connections | accepted/s | p50 ms (200) | p99 ms (200) | status codes | peak RSS MiB |');
console.log('| ----------- | ---------- | ------------ | ------------ | ------------ | ------------ |');
for (const r of rows) {
  console.log(
    `| ${r.connections} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.statuses} | ${r.peak.toFixed(0)} |`,
  );
}
console.log(`\nservice peak RSS (VmHWM) ${highWater.toFixed(0)} MiB; bound ${maxRssMib} MiB`);
if (highWater > maxRssMib) {
  console.error(`peak RSS ${highWater.toFixed(0)} MiB is over the bound of ${maxRssMib} MiB`);
  process.exitCode = 1;
}
