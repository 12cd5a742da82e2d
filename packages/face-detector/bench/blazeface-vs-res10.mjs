// BlazeFace (short and full range) against OpenCV res10 (faces res10 finds at score >= 0.5, from
// the shared fixture) on the evaluation split, with its own boxes and with its res10 calibration;
// then speed per 640x480 frame. Run: npm run bench -w @face-liveness/face-detector
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  calibrateBox,
  clipBox,
  RES10_FROM_BLAZEFACE_FULL,
  RES10_FROM_BLAZEFACE_SHORT,
  readImage,
} from '@face-liveness/core';
import { sharedDir } from '@face-liveness/core/testing';
import { convertTensorflow } from '../dist/convert/index.js';
import { BlazeFaceDetector, FaceDetector } from '../dist/index.js';
import { DATASETS, datasetOf, detectAll, isCalibration, match, res10Faces } from './blazeface-data.mjs';

const RANGES = { short: RES10_FROM_BLAZEFACE_SHORT, full: RES10_FROM_BLAZEFACE_FULL };
const evaluation = res10Faces().filter((r) => datasetOf(r.image) && !isCalibration(r.image));
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
const mean = (v) => (v.length ? (v.reduce((a, b) => a + b, 0) / v.length).toFixed(3) : '-');

console.log('BlazeFace vs res10 (reference: OpenCV res10 faces at score >= 0.5), evaluation split');
console.log(
  '| range | dataset | images | res10 faces (dropped) | BlazeFace faces | recall at IoU >= 0.5, own / calibrated boxes | recall, faces >= 10% of the longer side | mean IoU, own / calibrated | BlazeFace faces res10 lacks |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [range, calibration] of Object.entries(RANGES)) {
  const detector = await BlazeFaceDetector.create({ boxes: 'blazeface', range });
  const results = await detectAll(detector, evaluation);
  await detector.close();
  for (const group of Object.keys(DATASETS)) {
    const s = {
      images: 0,
      refs: 0,
      dropped: 0,
      dets: 0,
      hitOwn: 0,
      hitCal: 0,
      large: 0,
      hitLarge: 0,
      extra: 0,
    };
    const iouOwn = [];
    const iouCal = [];
    for (const r of results.filter((item) => datasetOf(item.image) === group)) {
      const calibrated = r.detections.map((b) => clipBox(calibrateBox(b, calibration), r.width, r.height));
      s.images++;
      s.refs += r.faces.length;
      s.dropped += r.dropped;
      s.dets += r.detections.length;
      const own = match(r.faces, r.detections);
      const cal = match(r.faces, calibrated);
      // A face counts as found by its best one-to-one match; IoU is averaged over every res10
      // face (0 when BlazeFace has no overlapping box), so misses lower it.
      iouOwn.push(...r.faces.map((_, i) => own.find((p) => p[0] === i)?.[2] ?? 0));
      iouCal.push(...r.faces.map((_, i) => cal.find((p) => p[0] === i)?.[2] ?? 0));
      s.hitOwn += own.filter((p) => p[2] >= 0.5).length;
      s.hitCal += cal.filter((p) => p[2] >= 0.5).length;
      // Short-range BlazeFace sees a 128x128 letterbox: faces under ~10% of the longer side are ~12 px.
      const large = r.faces.map((f) => f[2] - f[0] >= 0.1 * Math.max(r.width, r.height));
      s.large += large.filter(Boolean).length;
      s.hitLarge += cal.filter((p) => p[2] >= 0.5 && large[p[0]]).length;
      s.extra += r.detections.length - cal.filter((p) => p[2] >= 0.3).length;
    }
    console.log(
      `| ${range} | ${group} | ${s.images} | ${s.refs} (${s.dropped}) | ${s.dets} | ${pct(s.hitOwn, s.refs)} / ${pct(s.hitCal, s.refs)} | ${pct(s.hitLarge, s.large)} of ${s.large} | ${mean(iouOwn)} / ${mean(iouCal)} | ${s.extra} |`,
    );
  }
}

// Speed on 640x480 NUAA frames: resize/letterbox + ONNX Runtime + box decoding + NMS.
const frames = [];
for (const r of evaluation.filter((e) => e.width === 640 && e.height === 480).slice(0, 10)) {
  frames.push(await readImage(r.path));
}
// Wall time suffers when other jobs share the cores; CPU time of the process (all its threads)
// per frame is the steadier number on a busy machine.
async function time(det, runs = 100) {
  for (let i = 0; i < 10; i++) await det.detect(frames[i % frames.length]);
  const ms = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await det.detect(frames[i % frames.length]);
    ms.push(performance.now() - t);
  }
  const { user, system } = process.cpuUsage(cpu);
  ms.sort((a, b) => a - b);
  await det.close();
  return `wall median ${ms[runs >> 1].toFixed(2)} ms, CPU ${((user + system) / 1000 / runs).toFixed(2)} ms`;
}
console.log(`\nspeed per 640x480 frame, JPEG decoding excluded (load average ${loadavg()[0].toFixed(2)}):`);
console.log(`  BlazeFace short-range, 1 thread (default): ${await time(await BlazeFaceDetector.create())}`);
console.log(
  `  BlazeFace short-range, 2 threads: ${await time(await BlazeFaceDetector.create({ threads: 2 }))}`,
);
console.log(
  `  BlazeFace full-range, 1 thread (default): ${await time(await BlazeFaceDetector.create({ range: 'full' }))}`,
);

const pb = join(sharedDir(), 'models/res10-tensorflow/opencv_face_detector_uint8.pb');
if (existsSync(pb)) {
  const model = convertTensorflow({
    pb: readFileSync(pb),
    pbtxt: readFileSync(pb.replace('_uint8.pb', '.pbtxt'), 'utf8'),
  });
  console.log(`  res10 SSD 300x300, 1 thread (default): ${await time(await FaceDetector.create({ model }))}`);
}
