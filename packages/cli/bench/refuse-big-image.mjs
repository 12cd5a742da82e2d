// The cost of a huge image through the CLI: a 16000x16000 JPEG (refused from its header) and an
// 8000x6000 one (refused by default; with the limit raised, downscaled while it is decoded), next to
// `--version` (what starting the CLI costs) and a 640x480 photo. Needs GNU time (/usr/bin/time).
// Run after `npm run build`: node packages/cli/bench/refuse-big-image.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import sharp from 'sharp';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'face-liveness.js');
const dir = mkdtempSync(join(tmpdir(), 'fl-bench-big-'));

async function solidJpeg(width, height) {
  const path = join(dir, `${width}x${height}.jpg`);
  await sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .jpeg({ quality: 50 })
    .toFile(path);
  return path;
}

function cli(label, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %M %e', process.execPath, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const [, kb, seconds] = /TIME (\d+) ([\d.]+)/.exec(r.stderr) ?? [];
  const peak = (Number(kb) / 1024).toFixed(0).padStart(5);
  console.log(`${label.padEnd(48)} exit ${r.status}  ${seconds.padStart(5)} s  peak RSS ${peak} MB`);
}

try {
  const huge = await solidJpeg(16000, 16000);
  const large = await solidJpeg(8000, 6000);
  const before = process.memoryUsage().rss;
  const start = performance.now();
  const error = await readImage(huge).catch((e) => e);
  const ms = performance.now() - start;
  const rss = (process.memoryUsage().rss - before) / 1e6;
  console.log(`readImage(16000x16000 JPEG) in process: ${ms.toFixed(1)} ms, RSS +${rss.toFixed(1)} MB`);
  console.log(`  ${error.message}`);
  cli('face-liveness --version', ['--version']);
  cli('detect 640x480 photo', ['detect', sharedPath('data/silentface-samples/real/image_T1.jpg')]);
  cli('analyze 640x480 photo', ['analyze', sharedPath('data/silentface-samples/real/image_T1.jpg')]);
  cli('detect 16000x16000 JPEG (refused)', ['detect', huge]);
  cli('detect 8000x6000 JPEG (refused)', ['detect', large]);
  cli('detect 8000x6000 JPEG, limit 50 MP (downscaled)', ['detect', large], {
    FACE_LIVENESS_MAX_PIXELS: '50000000',
  });
  cli('analyze 8000x6000 JPEG, limit 50 MP (downscaled)', ['analyze', large], {
    FACE_LIVENESS_MAX_PIXELS: '50000000',
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
