// res10 SSD speed per 640x480 frame: preprocessing (resize + BGR/mean/NCHW), inference, decoding
// (priors, NMS) and the whole detect() call, at 1 and 2 ONNX Runtime threads.
// Run: npm run bench -w @face-liveness/face-detector (or node bench/res10-speed.mjs after tsc -b)
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { readImage } from '@face-liveness/core';
import { sharedDir } from '@face-liveness/core/testing';
import * as ort from 'onnxruntime-node';
import { convertTensorflow, FaceDetector, res10Input } from '../dist/index.js';

const pb = join(sharedDir(), 'models/res10-tensorflow/opencv_face_detector_uint8.pb');
const image = join(sharedDir(), 'data/nuaa/real/0001/0001_00_00_01_0.jpg');
if (!existsSync(pb) || !existsSync(image)) {
  console.log(`res10 bench skipped: needs ${pb} and ${image}`);
  process.exit(0);
}
const model = convertTensorflow({ pb: readFileSync(pb), pbtxt: readFileSync(pb.replace('_uint8.pb', '.pbtxt'), 'utf8') });
const frame = await readImage(image);
if (frame.width !== 640 || frame.height !== 480) throw new Error(`expected a 640x480 frame, got ${frame.width}x${frame.height}`);

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
async function measure(fn) {
  for (let i = 0; i < 10; i++) await fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], p90: times[Math.floor(times.length * 0.9)] };
}
const fmt = ({ median, p90 }) => `${median.toFixed(2)} ms (p90 ${p90.toFixed(2)})`;

console.log(`res10 SSD, 640x480 frame, ${RUNS} runs after 10 warm-up, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}`);
console.log(`  preprocess (resize 300x300 + BGR - mean, NCHW): ${fmt(await measure(() => res10Input(frame)))}`);
const input = new ort.Tensor('float32', res10Input(frame), [1, 3, 300, 300]);
for (const threads of [1, 2]) {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  console.log(`  inference only, ${threads} thread(s): ${fmt(await measure(() => session.run({ data: input })))}`);
  await session.release();
  const detector = await FaceDetector.create({ model, threads });
  const faces = await detector.detect(frame);
  console.log(`  detect() total (preprocess + inference + decode), ${threads} thread(s): ${fmt(await measure(() => detector.detect(frame)))} [${faces.length} face(s)]`);
  await detector.close();
}
