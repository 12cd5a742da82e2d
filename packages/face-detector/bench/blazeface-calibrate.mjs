// Fits RES10_FROM_BLAZEFACE_SHORT / RES10_FROM_BLAZEFACE_FULL (@face-liveness/core's calibration.ts): the
// least-squares linear map from BlazeFace's own boxes to OpenCV res10's, on the calibration split
// only. Prints the constants.
// Run: npx tsc -b packages/face-detector && node packages/face-detector/bench/blazeface-calibrate.mjs [short|full]
import { BlazeFaceDetector } from '../dist/index.js';
import { datasetOf, detectAll, isCalibration, match, res10Faces } from './blazeface-data.mjs';

const range = process.argv[2] ?? 'short';
const detector = await BlazeFaceDetector.create({ boxes: 'blazeface', range });
const items = res10Faces().filter((r) => datasetOf(r.image) && isCalibration(r.image));
const results = await detectAll(detector, items);
await detector.close();

// Pairs that are clearly the same face; the map is fitted in each BlazeFace box's own frame:
// res10 centre = centre + (dx, dy) * size, res10 size = (sx, sy) * size, minimising pixel error.
const sums = { wx: 0, ww: 0, hy: 0, hh: 0, wW: 0, hH: 0 };
let pairs = 0;
for (const r of results) {
  for (const [i, j, v] of match(r.faces, r.detections)) {
    if (v < 0.3) continue;
    const ref = r.faces[i];
    const b = r.detections[j];
    const w = b[2] - b[0];
    const h = b[3] - b[1];
    sums.wx += w * ((ref[0] + ref[2]) / 2 - (b[0] + b[2]) / 2);
    sums.hy += h * ((ref[1] + ref[3]) / 2 - (b[1] + b[3]) / 2);
    sums.ww += w * w;
    sums.hh += h * h;
    sums.wW += w * (ref[2] - ref[0]);
    sums.hH += h * (ref[3] - ref[1]);
    pairs++;
  }
}
const round = (v) => Math.round(v * 1e4) / 1e4;
const fit = {
  dx: round(sums.wx / sums.ww),
  dy: round(sums.hy / sums.hh),
  sx: round(sums.wW / sums.ww),
  sy: round(sums.hH / sums.hh),
};
console.log(`calibration split: ${items.length} images, ${pairs} matched faces (IoU >= 0.3)`);
console.log(
  `${range === 'full' ? 'RES10_FROM_BLAZEFACE_FULL' : 'RES10_FROM_BLAZEFACE_SHORT'} = ${JSON.stringify(fit)}`,
);
