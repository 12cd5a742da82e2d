// Shared by the BlazeFace bench scripts: the res10 reference faces, the calibration/evaluation
// split, BlazeFace runs over the images and one-to-one box matching.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readImage } from '@face-liveness/core';
import { sharedDir } from '@face-liveness/core/testing';

/** Datasets the comparison covers (issue 9), keyed by path prefix under shared/. */
export const DATASETS = {
  NUAA: 'data/nuaa/',
  'MSU-MFSD': 'data/msu-mfsd-train/',
  'faceapi-testdata': 'data/faceapi-testdata/',
};

/**
 * The calibration split, fixed before any number was looked at: NUAA subjects 0001-0004 and the
 * first five MSU-MFSD clients (002, 003, 005, 006, 007). Everything else is evaluation.
 */
export function isCalibration(image) {
  const nuaa = image.match(/^data\/nuaa\/(?:real|fake)\/(\d{4})\//);
  if (nuaa) return Number(nuaa[1]) <= 4;
  const msu = image.match(/client(\d{3})_/);
  if (image.startsWith(DATASETS['MSU-MFSD']) && msu)
    return ['002', '003', '005', '006', '007'].includes(msu[1]);
  return false;
}

/**
 * OpenCV res10 faces with score >= 0.5 per image, in pixels, from the shared fixture. Two kinds
 * of res10 output are not faces and are left out (counted in `dropped`): boxes lying wholly
 * outside the image (res10 emits such ghosts beside large faces), and boxes at least half inside
 * a higher-scoring res10 box of the same image (an eye or mouth taken for a second face).
 */
export function res10Faces() {
  const lines = readFileSync(join(sharedDir(), 'fixtures/res10/opencv-full-size.jsonl'), 'utf8')
    .trim()
    .split('\n');
  return lines.map((line) => {
    const r = JSON.parse(line);
    const clip = (v, max) => Math.min(Math.max(v, 0), max);
    const boxes = r.detections
      .filter((d) => d[0] >= 0.5)
      .sort((a, b) => b[0] - a[0])
      .map(([, x1, y1, x2, y2]) => [
        clip(x1 * r.width, r.width),
        clip(y1 * r.height, r.height),
        clip(x2 * r.width, r.width),
        clip(y2 * r.height, r.height),
      ]);
    const faces = boxes.filter(
      (b, i) => area(b) > 0 && !boxes.slice(0, i).some((better) => intersection(b, better) >= 0.5 * area(b)),
    );
    const item = { image: r.image, path: join(sharedDir(), r.image), width: r.width, height: r.height };
    return { ...item, faces, dropped: boxes.length - faces.length };
  });
}

function area(b) {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

function intersection(a, b) {
  return area([Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])]);
}

export function datasetOf(image) {
  return Object.entries(DATASETS).find(([, prefix]) => image.startsWith(prefix))?.[0];
}

export function iou(a, b) {
  const inter = intersection(a, b);
  return inter > 0 ? inter / (area(a) + area(b) - inter) : 0;
}

/** Greedy one-to-one matching by descending IoU; pairs [refIndex, detIndex, iou] with iou > 0. */
export function match(refs, dets) {
  const pairs = [];
  refs.forEach((r, i) => {
    dets.forEach((d, j) => {
      const v = iou(r, d);
      if (v > 0) pairs.push([i, j, v]);
    });
  });
  pairs.sort((a, b) => b[2] - a[2]);
  const usedR = new Set();
  const usedD = new Set();
  const out = [];
  for (const p of pairs) {
    if (usedR.has(p[0]) || usedD.has(p[1])) continue;
    usedR.add(p[0]);
    usedD.add(p[1]);
    out.push(p);
  }
  return out;
}

/** Runs `detector` over the images; returns each image's boxes. */
export async function detectAll(detector, items) {
  const out = [];
  for (const item of items) {
    const faces = await detector.detect(await readImage(item.path));
    out.push({ ...item, detections: faces.map((f) => f.box) });
  }
  return out;
}
