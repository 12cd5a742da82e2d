// Faces found / present in group photos and at a distance, for each detector setting: res10
// stretched with every box kept (OpenCV's input and output) and letterboxed with boxes mostly
// outside the frame dropped (the defaults), BlazeFace short, full and auto range.
// Present: the faces dlib's fixture lists (shared/data/dlib-faces/*_with_face_landmarks.xml; found
// = matched one to one, the box centre inside the detection), else the faces counted by eye
// (PRESENT below; found = detections, at most the count present, extra detections shown apart).
// res10 is converted in memory from shared/models/res10-tensorflow.
// Run after building: node bench/group-photos.mjs [--json]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readImage } from '@face-liveness/core';
import { sharedDir } from '@face-liveness/core/testing';
import { convertTensorflow } from '../dist/convert/index.js';
import { createFaceDetector } from '../dist/index.js';

const shared = sharedDir();
/** Faces visible in each photo, counted by eye (a head seen from behind is not a face). */
const PRESENT = {
  'data/faceapi-testdata/examples/images/bbt1.jpg': 4,
  'data/faceapi-testdata/examples/images/bbt2.jpg': 4, // two at the table, two in the background
  'data/faceapi-testdata/examples/images/bbt3.jpg': 5,
  'data/faceapi-testdata/examples/images/bbt4.jpg': 6,
  'data/faceapi-testdata/examples/images/bbt5.jpg': 5,
  'data/faceapi-testdata/test/images/faces.jpg': 6,
  'data/dlib-faces/bald_guys.jpg': 24, // a collage; the blurred crowd behind one photo not counted
};

/** dlib's boxes per image of its example photos, [x1, y1, x2, y2]. */
function dlibBoxes() {
  const boxes = {};
  for (const file of ['training_with_face_landmarks.xml', 'testing_with_face_landmarks.xml']) {
    const xml = readFileSync(join(shared, 'data/dlib-faces', file), 'utf8');
    for (const [, image, body] of xml.matchAll(/<image file='([^']+)'[^>]*>([\s\S]*?)<\/image>/g)) {
      boxes[`data/dlib-faces/${image}`] = [
        ...body.matchAll(/<box top='(-?\d+)' left='(-?\d+)' width='(\d+)' height='(\d+)'/g),
      ].map(([, t, l, w, h]) => [Number(l), Number(t), Number(l) + Number(w), Number(t) + Number(h)]);
    }
  }
  return boxes;
}

/** Faces of `truth` whose centre lies in a detection, each detection used once. */
function matched(truth, faces) {
  const free = faces.map((f) => f.box);
  let n = 0;
  for (const [x1, y1, x2, y2] of truth) {
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    const i = free.findIndex((b) => b[0] <= cx && cx <= b[2] && b[1] <= cy && cy <= b[3]);
    if (i >= 0) {
      free.splice(i, 1);
      n++;
    }
  }
  return n;
}

const tf = join(shared, 'models/res10-tensorflow');
const res10 = convertTensorflow({
  pb: readFileSync(join(tf, 'opencv_face_detector_uint8.pb')),
  pbtxt: readFileSync(join(tf, 'opencv_face_detector.pbtxt'), 'utf8'),
});
const SETTINGS = {
  // As before #17: OpenCV's input and every box it reports.
  'res10 stretch': { detector: 'res10', model: res10, resize: 'stretch', minVisible: 0 },
  'res10 letterbox': { detector: 'res10', model: res10, resize: 'letterbox' },
  'BlazeFace short': { detector: 'blazeface', range: 'short' },
  'BlazeFace full': { detector: 'blazeface', range: 'full' },
  'BlazeFace auto': { detector: 'blazeface', range: 'auto' },
};

const truthBoxes = dlibBoxes();
const images = [...Object.keys(PRESENT), ...Object.keys(truthBoxes)];
const frames = await Promise.all(images.map((image) => readImage(join(shared, image))));
const rows = images.map((image, i) => ({
  image,
  size: `${frames[i].width}x${frames[i].height}`,
  present: truthBoxes[image]?.length ?? PRESENT[image],
  found: {},
}));
const settings = {};
for (const [name, options] of Object.entries(SETTINGS)) {
  let detector;
  try {
    detector = await createFaceDetector(options);
  } catch (error) {
    console.error(`${name}: ${error.message}`);
    continue;
  }
  settings[name] = true;
  for (const [i, row] of rows.entries()) {
    const faces = await detector.detect(frames[i]);
    const truth = truthBoxes[row.image];
    const found = truth ? matched(truth, faces) : Math.min(faces.length, row.present);
    row.found[name] = { found, extra: faces.length - found };
  }
  await detector.close();
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 1));
} else {
  const names = Object.keys(settings);
  const cell = (r) => `${r.found}${r.extra ? ` (+${r.extra})` : ''}`;
  console.log('Faces found / present (+ detections beyond the faces present or unmatched)');
  console.log(`| image | size | present | ${names.join(' | ')} |`);
  console.log(`|---|---|---|${names.map(() => '---').join('|')}|`);
  for (const row of rows) {
    const name = row.image.replace(/^data\//, '');
    console.log(
      `| ${name} | ${row.size} | ${row.present} | ${names.map((n) => cell(row.found[n])).join(' | ')} |`,
    );
  }
  const total = (n, key) => rows.reduce((s, r) => s + r.found[n][key], 0);
  const present = rows.reduce((s, r) => s + r.present, 0);
  console.log(
    `| **all** | | ${present} | ${names.map((n) => `${total(n, 'found')} (+${total(n, 'extra')})`).join(' | ')} |`,
  );
}
