// The cost of a huge image through the CLI: a 16000x16000 JPEG (refused from its header) and an
// 8000x6000 one (refused by default; with the limit raised, downscaled while it is decoded), next to
// `--version` and `--help` (what starting the CLI costs) and a 640x480 photo; each the median of 5
// runs. Needs GNU time (/usr/bin/time).
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

// The median of a few runs: on a shared machine one run says little about start-up time.
function cli(label, args, env = {}, runs = 5) {
  const measured = Array.from({ length: runs }, () => {
    const r = spawnSync('/usr/bin/time', ['-f', 'TIME %M %e', process.execPath, BIN, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    const [, kb, seconds] = /TIME (\d+) ([\d.]+)/.exec(r.stderr) ?? [];
    return { status: r.status, seconds: Number(seconds), mb: Number(kb) / 1024 };
  }).sort((a, b) => a.seconds - b.seconds);
  const { status, seconds, mb } = measured[Math.floor(runs / 2)];
  const range = `${measured[0].seconds.toFixed(2)}-${measured[runs - 1].seconds.toFixed(2)}`;
  console.log(
    `${label.padEnd(48)} exit ${status}  median ${seconds.toFixed(2)} s (${range})  peak RSS ${mb.toFixed(0).padStart(5)} MB`,
  );
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
  cli('face-liveness --help', ['--help']);
  for (const command of ['detect', 'landmarks', 'classify', 'analyze']) {
    cli(`${command} 16000x16000 JPEG (refused)`, [command, huge]);
  }
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
