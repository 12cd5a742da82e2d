// res10 SSD speed per 640x480 frame: preprocessing (resize + BGR/mean/NCHW), inference, decoding
// (priors, NMS) and the whole detect() call, at 1 and 2 ONNX Runtime threads; float32, then the
// int8 (QDQ) model calibrated on NUAA subjects 0001-0003 and its agreement with float32 on the
// other images of the full-size fixture.
// Run: npm run bench -w @face-liveness/face-detector (or node bench/res10-speed.mjs after tsc -b)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { readImage } from '@face-liveness/core';
import { sharedDir } from '@face-liveness/core/testing';
import * as ort from 'onnxruntime-node';
import {
  convertTensorflow,
  FaceDetector,
  iou,
  quantizeSsd,
  res10Input,
  tensorflowToSsd,
} from '../dist/index.js';

const pb = join(sharedDir(), 'models/res10-tensorflow/opencv_face_detector_uint8.pb');
const image = join(sharedDir(), 'data/nuaa/real/0001/0001_00_00_01_0.jpg');
if (!existsSync(pb) || !existsSync(image)) {
  console.log(`res10 bench skipped: needs ${pb} and ${image}`);
  process.exit(0);
}
const sources = { pb: readFileSync(pb), pbtxt: readFileSync(pb.replace('_uint8.pb', '.pbtxt'), 'utf8') };
const net = tensorflowToSsd(sources);
const model = convertTensorflow(sources);
const frame = await readImage(image);
if (frame.width !== 640 || frame.height !== 480)
  throw new Error(`expected a 640x480 frame, got ${frame.width}x${frame.height}`);

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
/** Median wall time and mean CPU time (all threads of this process) per call. */
async function measure(fn) {
  for (let i = 0; i < 10; i++) await fn();
  const times = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], cpu: (used.user + used.system) / 1000 / RUNS };
}
// The machine is shared: CPU time is the steadier number; wall time includes waiting for a core.
const fmt = ({ median, cpu }) => `${cpu.toFixed(2)} ms CPU (wall median ${median.toFixed(2)} ms)`;

console.log(
  `res10 SSD, 640x480 frame, ${RUNS} runs after 10 warm-up, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}`,
);
console.log(
  `  preprocess (resize 300x300 + BGR - mean, NCHW): ${fmt(await measure(() => res10Input(frame)))}`,
);
const input = new ort.Tensor('float32', res10Input(frame), [1, 3, 300, 300]);
async function speed(label, bytes) {
  for (const threads of [1, 2]) {
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    console.log(
      `  ${label} inference only, ${threads} thread(s): ${fmt(await measure(() => session.run({ data: input })))}`,
    );
    await session.release();
    const detector = await FaceDetector.create({ model: bytes, threads });
    const faces = await detector.detect(frame);
    console.log(
      `  ${label} detect() total (preprocess + inference + decode), ${threads} thread(s): ${fmt(await measure(() => detector.detect(frame)))} [${faces.length} face(s)]`,
    );
    await detector.close();
  }
}
await speed('float32', model);

const calibrationImages = [];
for (const subject of ['0001', '0002', '0003'])
  for (const kind of ['real', 'fake']) {
    const dir = join(sharedDir(), 'data/nuaa', kind, subject);
    for (const f of readdirSync(dir).sort().slice(0, 4))
      calibrationImages.push(await readImage(join(dir, f)));
  }
const int8 = await quantizeSsd(net, calibrationImages);
console.log(
  `int8 model: ${(int8.length / 1e6).toFixed(1)} MB (float32 ${(model.length / 1e6).toFixed(1)} MB), calibrated on ${calibrationImages.length} NUAA frames`,
);
await speed('int8', int8);

// Agreement with float32 on the full-size fixture images, calibration subjects left out.
const fixture = join(sharedDir(), 'fixtures/res10/opencv-full-size.jsonl');
const rows = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l))
  .filter((r) => !/^data\/nuaa\/(real|fake)\/000[1-3]\//.test(r.image));
const [a, b] = [await FaceDetector.create({ model }), await FaceDetector.create({ model: int8 })];
const ious = [];
let missed = 0;
let extra = 0;
let scoreDiff = 0;
for (const row of rows) {
  const f = await readImage(join(sharedDir(), row.image));
  const [x, y] = [await a.detect(f), await b.detect(f)];
  for (const face of x) {
    const best = y.reduce((m, o) => (iou(o.box, face.box) > m.v ? { v: iou(o.box, face.box), o } : m), {
      v: 0,
    });
    if (best.v >= 0.9) {
      ious.push(best.v);
      scoreDiff = Math.max(scoreDiff, Math.abs(best.o.score - face.score));
    } else missed++;
  }
  extra += y.filter((o) => !x.some((face) => iou(o.box, face.box) >= 0.9)).length;
}
await a.close();
await b.close();
ious.sort((p, q) => p - q);
console.log(
  `int8 vs float32 on ${rows.length} held-out images (confidence 0.5): ${ious.length} of ${ious.length + missed} float32 faces matched at IoU >= 0.9 (min ${ious[0]?.toFixed(3)}, median ${ious[ious.length >> 1]?.toFixed(3)}), max score difference ${scoreDiff.toFixed(3)}, ${extra} int8 face(s) without a float32 match`,
);
