// End-to-end speed and memory of the liveness pipeline on a 640x480 single-face video:
// decode (ffmpeg) -> detect -> landmarks + blinks -> classify -> track/fuse [-> draw -> encode].
// Usage: npm run bench -w @face-liveness/pipeline   (BENCH_MINUTES=10 for the long memory run; 0 skips it)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFfmpeg } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { analyzeMedia, createLivenessEngine } from '../dist/index.js';
import { stitchFrames } from './nuaa-video.mjs';

const SUBJECT = sharedPath('data/nuaa/real/0007');
const minutes = Number(process.env.BENCH_MINUTES ?? 10);

// CPU time (ms) of this process (all its threads) and of its exited children (the ffmpeg
// processes): on a shared machine wall time measures the neighbours, CPU time measures us.
function cpuNow() {
  const { user, system } = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]); // cutime + cstime, in 1/100 s
  return { own: (user + system) / 1000, children: ticks * 10 };
}

if (!existsSync(SUBJECT)) {
  console.log(`skipped: needs ${SUBJECT}`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'fl-pipeline-bench-'));
const ffmpeg = findFfmpeg();
try {
  // NUAA frames are raw 640x480 webcam frames.
  const video = join(dir, 'face640.mp4');
  const count = stitchFrames(SUBJECT, video);

  // The default classifier (the bundled LivenessNet and MiniFASNet; MiniFASNet's files from ../shared here).
  process.env.FACE_LIVENESS_MINIFASNET_DIR ??= sharedPath('models/peers/minifasnet');
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`video: ${count} frames 640x480 at 30 FPS (NUAA real subject 0007)`);

  const configs = [
    {
      name: 'every frame, detector on the main thread',
      detectEvery: 1,
      classifyEvery: 1,
      detectorThread: false,
    },
    { name: 'every frame, detector thread', detectEvery: 1, classifyEvery: 1, detectorThread: true },
    {
      name: 'detect+classify every 3rd frame, detector thread',
      detectEvery: 3,
      classifyEvery: 3,
      detectorThread: true,
    },
    {
      name: 'every frame, BlazeFace in the detector thread',
      detectorKind: 'blazeface',
      detectorThread: true,
    },
  ];
  for (const { name, detectEvery, classifyEvery, ...load } of configs) {
    const engine = await createLivenessEngine(load);
    if (name === configs[0].name) {
      console.log(`classifier: ${engine.info.classifier.name} (${engine.info.classifier.reason})`);
    }
    const session = { detectEvery, classifyEvery };
    await analyzeMedia(engine, video, { session }); // warm-up: JIT, ONNX Runtime and tfjs kernels
    for (const annotate of [false, true]) {
      const output = annotate ? join(dir, 'annotated.mp4') : undefined;
      const cpu = cpuNow();
      const stages = { detectMs: 0, landmarksMs: 0, classifyMs: 0 };
      const summary = await analyzeMedia(engine, video, {
        session,
        output,
        onFrame: (result) => {
          for (const k in stages) stages[k] += result.timings[k];
        },
      });
      const used = cpuNow();
      const own = (used.own - cpu.own) / summary.frames;
      const children = (used.children - cpu.children) / summary.frames;
      const verdicts = summary.tracks.map((t) => `#${t.id} ${t.verdict}`).join(', ');
      console.log(
        `${name}, annotated output ${annotate ? 'on ' : 'off'}: ${summary.processingFps.toFixed(1)} FPS wall; ` +
          `CPU per frame ${own.toFixed(2)} ms in node + ${children.toFixed(2)} ms in ffmpeg ` +
          `(CPU bound on 2 idle cores: ${(1000 / own).toFixed(0)} FPS if node's share ran on one core, ` +
          `${(2000 / (own + children)).toFixed(0)} FPS spread over both; ${verdicts})`,
      );
      const perFrame = Object.entries(stages).map(
        ([k, v]) => `${k.replace('Ms', '')} ${(v / summary.frames).toFixed(2)}`,
      );
      console.log(`  wall ms per frame by stage: ${perFrame.join(', ')}`);
    }
    await engine.close();
  }
  console.log(`peak RSS so far: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

  if (minutes > 0) {
    const loops = Math.ceil((minutes * 60 * 30) / count);
    const long = join(dir, 'long.mp4');
    execFileSync(ffmpeg, ['-v', 'error', '-stream_loop', String(loops - 1), '-i', video, '-c', 'copy', long]);
    const engine = await createLivenessEngine();
    console.log(`long run: ${minutes} min of video, detect+classify every 3rd frame, detector thread`);
    const samples = [];
    const summary = await analyzeMedia(engine, long, {
      session: { detectEvery: 3, classifyEvery: 3 },
      onFrame: (_r, _f, p) => {
        if (p.frames % 1800 === 0) samples.push(process.memoryUsage().rss / 2 ** 20);
      },
    });
    await engine.close();
    console.log(
      `long run: ${summary.frames} frames (${(summary.frames / 30 / 60).toFixed(1)} min of video) at ` +
        `${summary.processingFps.toFixed(1)} FPS; RSS every minute of video (MB): ${samples.map((s) => s.toFixed(0)).join(' ')}`,
    );
    console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
