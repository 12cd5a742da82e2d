// Fits DLIB_FROM_RES10 (src/box-mapping.ts) and reports landmark accuracy on HELEN.
//
// Fit: pairs of (OpenCV res10 box, dlib HOG rect) for the same face, from the two reference
// fixtures (`fixtures/res10/opencv-full-size.jsonl`, score >= 0.5, clipped to the image as the
// detector returns it; `fixtures/dlib68/dlib-hog-shape68.jsonl`), matched by IoU >= 0.4, on every
// image NOT in HELEN. Least squares in each res10 box's own frame: the centre offset in box
// widths/heights is the mean offset; each scale is the least-squares slope through the origin.
//
// Evaluation on HELEN (330 faces, human 68-point annotations, .pts 1-based): mean point error
// normalised by the outer-eye-corner distance (points 36 and 45), for dlib's own rects and for
// res10 boxes (this project's FaceDetector, installed model `res10-ssd`) raw, mapped, and mapped then
// refined once from the predicted shape (`predictFromDetector`); and for BlazeFace short-range boxes
// (calibrated to res10-like boxes, the detector's default) and for BlazeFace's keypoints (the box the
// mean shape's eyes, nose and mouth fit them, `boxFromKeypoints`, then one refinement), as the
// pipeline uses them on a machine without res10.
//
// Usage: node bench/box-mapping.mjs   (needs ../shared, dlib's .dat and `models install res10`)
import { readFileSync } from 'node:fs';
import { clipBox, DLIB_FROM_RES10, iou, readImage } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { BlazeFaceDetector, FaceDetector } from '@face-liveness/face-detector';
import { fromDetectorBox, predictFromKeypoints, ShapePredictor } from '../dist/index.js';

const jsonl = (p) =>
  readFileSync(sharedPath(p), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const dlibByImage = new Map(jsonl('fixtures/dlib68/dlib-hog-shape68.jsonl').map((r) => [r.image, r]));
const res10ByImage = new Map(jsonl('fixtures/res10/opencv-full-size.jsonl').map((r) => [r.image, r]));
const isHelen = (image) => image.includes('landmarks-300w/helen-test');
const dlibBox = ([l, t, r, b]) => [l, t, r + 1, b + 1];

function bestMatch(box, candidates, minIou = 0.4) {
  let best;
  let bestIou = minIou;
  for (const c of candidates) {
    const o = iou(box, c);
    if (o >= bestIou) [best, bestIou] = [c, o];
  }
  return best;
}

// ---- fit on non-HELEN pairs
const pairs = [];
for (const [image, res10] of res10ByImage) {
  const dlib = dlibByImage.get(image);
  if (!dlib?.faces?.length || isHelen(image)) continue;
  const boxes = res10.detections
    .filter(([score]) => score >= 0.5)
    .map(([, x1, y1, x2, y2]) =>
      clipBox(
        [x1 * res10.width, y1 * res10.height, x2 * res10.width, y2 * res10.height],
        res10.width,
        res10.height,
      ),
    );
  for (const face of dlib.faces) {
    const d = dlibBox(face.rect);
    const r = bestMatch(d, boxes);
    if (r) pairs.push({ r, d, image });
  }
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const w = (b) => b[2] - b[0];
const h = (b) => b[3] - b[1];
const cx = (b) => (b[0] + b[2]) / 2;
const cy = (b) => (b[1] + b[3]) / 2;
const slope = (ys, xs) => ys.reduce((a, y, i) => a + y * xs[i], 0) / xs.reduce((a, x) => a + x * x, 0);
const fit = {
  dx: mean(pairs.map(({ r, d }) => (cx(d) - cx(r)) / w(r))),
  dy: mean(pairs.map(({ r, d }) => (cy(d) - cy(r)) / h(r))),
  sx: slope(
    pairs.map(({ d }) => w(d)),
    pairs.map(({ r }) => w(r)),
  ),
  sy: slope(
    pairs.map(({ d }) => h(d)),
    pairs.map(({ r }) => h(r)),
  ),
};
const round = (v) => Math.round(v * 1e4) / 1e4;
console.log(
  `fit on ${pairs.length} non-HELEN face pairs (${new Set(pairs.map((p) => p.image)).size} images):`,
  Object.fromEntries(Object.entries(fit).map(([k, v]) => [k, round(v)])),
);
console.log('shipped DLIB_FROM_RES10:', DLIB_FROM_RES10);
const mappedIou = mean(pairs.map(({ r, d }) => iou(fromDetectorBox(r, 'res10'), d)));
console.log(
  `mean IoU with the dlib rect on the fit pairs: raw res10 ${mean(pairs.map(({ r, d }) => iou(r, d))).toFixed(3)}, mapped ${mappedIou.toFixed(3)}`,
);

// ---- HELEN
const sp = await ShapePredictor.load('/usr/share/dlib/shape_predictor_68_face_landmarks.dat');
const detector = await FaceDetector.create();
const blazeface = await BlazeFaceDetector.create();
const helen = [...dlibByImage.keys()].filter(isHelen);
function readPts(image) {
  const lines = readFileSync(sharedPath(image.replace(/\.jpg$/, '.pts')), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === '{') + 1;
  return lines.slice(start, start + 68).map((l) =>
    l
      .trim()
      .split(/\s+/)
      .map((v) => Number(v) - 1),
  );
}
function nme(pred, truth) {
  const iod = Math.hypot(truth[36][0] - truth[45][0], truth[36][1] - truth[45][1]);
  return mean(pred.map(([x, y], i) => Math.hypot(x - truth[i][0], y - truth[i][1]))) / iod;
}
const bounds = (pts) => [
  Math.min(...pts.map((p) => p[0])),
  Math.min(...pts.map((p) => p[1])),
  Math.max(...pts.map((p) => p[0])),
  Math.max(...pts.map((p) => p[1])),
];
const errors = {
  dlib: [],
  res10Raw: [],
  res10Mapped: [],
  res10Refined: [],
  blazeRefined: [],
  blazeKeypoints: [],
};
const both = { dlib: [], res10Mapped: [], res10Refined: [] };
const withBlaze = { dlib: [], blazeRefined: [], blazeKeypoints: [] };
let noBlaze = 0;
let noDlib = 0;
let noRes10 = 0;
for (const image of helen) {
  const truth = readPts(image);
  const gt = bounds(truth);
  const frame = await readImage(sharedPath(image));
  const dFace = bestMatch(
    gt,
    (dlibByImage.get(image).faces ?? []).map((f) => dlibBox(f.rect)),
    0.2,
  );
  const rFace = bestMatch(
    gt,
    (await detector.detect(frame)).map((f) => f.box),
    0.2,
  );
  if (dFace) errors.dlib.push(nme(sp.predict(frame, dFace), truth));
  else noDlib++;
  if (rFace) {
    errors.res10Raw.push(nme(sp.predict(frame, rFace), truth));
    errors.res10Mapped.push(nme(sp.predict(frame, fromDetectorBox(rFace, 'res10')), truth));
    errors.res10Refined.push(nme(sp.predictFromDetector(frame, rFace, 'res10'), truth));
  } else noRes10++;
  const blazeFaces = await blazeface.detect(frame);
  const bFace = bestMatch(
    gt,
    blazeFaces.map((f) => f.box),
    0.2,
  );
  if (bFace) {
    errors.blazeRefined.push(nme(sp.predictFromDetector(frame, bFace, 'res10'), truth));
    const { keypoints } = blazeFaces.find((f) => f.box === bFace);
    errors.blazeKeypoints.push(nme(predictFromKeypoints(sp, frame, keypoints), truth));
  } else noBlaze++;
  if (dFace && bFace) {
    withBlaze.dlib.push(errors.dlib.at(-1));
    withBlaze.blazeRefined.push(errors.blazeRefined.at(-1));
    withBlaze.blazeKeypoints.push(errors.blazeKeypoints.at(-1));
  }
  if (dFace && rFace) {
    both.dlib.push(errors.dlib.at(-1));
    both.res10Mapped.push(errors.res10Mapped.at(-1));
    both.res10Refined.push(errors.res10Refined.at(-1));
  }
}
await detector.close();
await blazeface.close();
const pct = (xs) => `${(100 * mean(xs)).toFixed(2)}% (n=${xs.length})`;
console.log(`HELEN test, ${helen.length} faces; no dlib rect on ${noDlib}, no res10 box on ${noRes10}`);
console.log(`  dlib HOG rects:       ${pct(errors.dlib)}`);
console.log(`  res10 boxes, raw:     ${pct(errors.res10Raw)}`);
console.log(`  res10 boxes, mapped:  ${pct(errors.res10Mapped)}`);
console.log(`  res10 boxes, mapped + one refinement (predictFromDetector): ${pct(errors.res10Refined)}`);
const ratio = (k) => (mean(both[k]) / mean(both.dlib)).toFixed(3);
console.log(
  `  faces with both: dlib ${pct(both.dlib)}; res10 mapped ${pct(both.res10Mapped)}, ratio ${ratio('res10Mapped')};`,
);
console.log(`  res10 mapped + refined ${pct(both.res10Refined)}, ratio ${ratio('res10Refined')}`);
console.log(
  `  BlazeFace short range (calibrated boxes) + one refinement: ${pct(errors.blazeRefined)}, no BlazeFace box on ${noBlaze}; ` +
    `faces with both: dlib ${pct(withBlaze.dlib)}, BlazeFace ${pct(withBlaze.blazeRefined)}, ratio ${(mean(withBlaze.blazeRefined) / mean(withBlaze.dlib)).toFixed(3)}`,
);
console.log(
  `  BlazeFace keypoints (boxFromKeypoints) + one refinement: ${pct(errors.blazeKeypoints)}; ` +
    `faces with both: ${pct(withBlaze.blazeKeypoints)}, ratio ${(mean(withBlaze.blazeKeypoints) / mean(withBlaze.dlib)).toFixed(3)}`,
);
