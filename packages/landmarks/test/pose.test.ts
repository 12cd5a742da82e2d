import { existsSync } from 'node:fs';
import { type Affine, flipHorizontal, type Point, readImage, warpAffine } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eulerFromRotation, headPose, rotationFromEuler } from '../src/pose.js';
import { ShapePredictor } from '../src/shape-predictor.js';
import { HELEN, helenFaces } from './helen.js';
import { projectFace, random } from './pose-synthetic.js';

/** Part i of a face mirrored left to right is part MIRROR[i] of the mirror image. */
const MIRROR = [
  ...[16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
  ...[26, 25, 24, 23, 22, 21, 20, 19, 18, 17],
  ...[27, 28, 29, 30, 35, 34, 33, 32, 31],
  ...[45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40],
  ...[54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55],
  ...[64, 63, 62, 61, 60, 67, 66, 65],
];

const mirrorPoints = (points: readonly Point[], width: number): Point[] =>
  MIRROR.map((j) => [width - 1 - points[j][0], points[j][1]] as Point);

/** The forward map of turning an image by `deg` clockwise about its centre, and warpAffine's inverse of it. */
function turn(deg: number, width: number, height: number) {
  const [c, s] = [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  const forward = ([x, y]: Point): Point => [
    cx + c * (x - cx) - s * (y - cy),
    cy + s * (x - cx) + c * (y - cy),
  ];
  const inverse: Affine = [c, s, cx - c * cx - s * cy, -s, c, cy + s * cx - c * cy];
  return { forward, inverse };
}

const angleDiff = (a: number, b: number) => ((((a - b) % 360) + 540) % 360) - 180;

describe('head pose on projected mean faces', () => {
  it('round-trips Euler angles through the rotation matrix', () => {
    const pose = { yaw: 35, pitch: -20, roll: 70 };
    const back = eulerFromRotation(rotationFromEuler(pose));
    for (const k of ['yaw', 'pitch', 'roll'] as const) expect(back[k]).toBeCloseTo(pose[k], 9);
  });

  it('has the documented signs', () => {
    const at = (pose: { yaw: number; pitch: number; roll: number }) =>
      projectFace(pose, { width: 640, height: 480, depth: 60, cx: 320, cy: 240 });
    const frontal = at({ yaw: 0, pitch: 0, roll: 0 });
    // Nose (31, 35 nostrils) moves right with yaw, up with pitch; the eye line tilts down-right with roll.
    expect(at({ yaw: 20, pitch: 0, roll: 0 })[31][0]).toBeGreaterThan(frontal[31][0]);
    expect(at({ yaw: 0, pitch: 20, roll: 0 })[31][1]).toBeLessThan(frontal[31][1]);
    const rolled = at({ yaw: 0, pitch: 0, roll: 20 });
    expect(rolled[45][1]).toBeGreaterThan(rolled[36][1]);
  });

  it('recovers random poses (yaw ±60, pitch ±40, roll ±90) exactly without noise, within ~1° at 1 px', () => {
    for (const noise of [0, 1, 2]) {
      const rand = random(7 + noise);
      const errors: number[] = [];
      let worstFit = 0;
      for (let i = 0; i < 300; i++) {
        const pose = {
          yaw: (rand() * 2 - 1) * 60,
          pitch: (rand() * 2 - 1) * 40,
          roll: (rand() * 2 - 1) * 90,
        };
        const cx = 200 + rand() * 240;
        const cy = 150 + rand() * 180;
        const points = projectFace(pose, { width: 640, height: 480, depth: 60, cx, cy, noise, rand });
        const fit = headPose(points, { width: 640, height: 480 });
        for (const k of ['yaw', 'pitch', 'roll'] as const) errors.push(Math.abs(angleDiff(fit[k], pose[k])));
        worstFit = Math.max(worstFit, fit.reprojectionError);
      }
      const mean = errors.reduce((a, b) => a + b) / errors.length;
      if (noise === 0) {
        expect(Math.max(...errors)).toBeLessThan(1e-4);
        expect(worstFit).toBeLessThan(1e-6);
      } else {
        // Measured: mean 0.5° (max 2.9°) at 1 px, 1.0° (max 5.8°) at 2 px, eyes ~113 px apart.
        expect(mean).toBeLessThan(0.7 * noise);
        expect(Math.max(...errors)).toBeLessThan(4 * noise);
        expect(worstFit).toBeLessThan(2.2 * noise);
      }
    }
  });

  it('refuses what is not 68 finite points', () => {
    expect(() => headPose([[1, 2]], { width: 10, height: 10 })).toThrow(/68 finite landmarks/);
    const flat = Array.from({ length: 68 }, () => [5, 5] as Point);
    expect(() => headPose(flat, { width: 10, height: 10 })).toThrow(/degenerate/);
  });
});

describe('head pose on HELEN annotations', () => {
  it('negates yaw and roll on the mirror image and adds θ to roll on a turned one', (ctx) => {
    needFiles(ctx, HELEN);
    for (const { image, points } of helenFaces(30)) {
      const size = { width: 1000, height: 800 };
      const fit = headPose(points, size);
      expect(fit.relativeError, image).toBeLessThan(0.12);
      const mirrored = headPose(mirrorPoints(points, size.width + 1), size);
      expect(mirrored.yaw).toBeCloseTo(-fit.yaw, 4);
      expect(mirrored.roll).toBeCloseTo(-fit.roll, 4);
      expect(mirrored.pitch).toBeCloseTo(fit.pitch, 4);
      const { forward } = turn(25, size.width + 1, size.height + 1);
      const turned = headPose(points.map(forward), size);
      expect(angleDiff(turned.roll, fit.roll + 25)).toBeCloseTo(0, 4);
      expect(turned.yaw).toBeCloseTo(fit.yaw, 4);
    }
  });
});

describe('head pose through the shape predictor on real images', () => {
  let sp: ShapePredictor | undefined;
  beforeAll(async () => {
    if (existsSync(DLIB_68_PATH)) sp = await ShapePredictor.load(DLIB_68_PATH);
  });
  afterAll(() => sp?.close());

  it('flipping the image negates yaw and roll; turning it by θ adds θ to roll', async (ctx) => {
    needFiles(ctx, DLIB_68_PATH, HELEN);
    const predictor = sp as ShapePredictor;
    const deltas = { yaw: [] as number[], roll: [] as number[], turned: [] as number[] };
    for (const { image, points } of helenFaces(12)) {
      const frame = await readImage(image);
      const size = { width: frame.width, height: frame.height };
      const box = predictor.boxFromShape(points);
      const fit = headPose(predictor.predictFromStart(frame, box), size);
      const flippedBox = [frame.width - 1 - box[2], box[1], frame.width - 1 - box[0], box[3]] as const;
      const flipped = headPose(predictor.predictFromStart(flipHorizontal(frame), [...flippedBox]), size);
      deltas.yaw.push(flipped.yaw + fit.yaw);
      deltas.roll.push(flipped.roll + fit.roll);
      const { forward, inverse } = turn(20, frame.width, frame.height);
      const turnedBox = predictor.boxFromShape(points.map(forward));
      const turned = headPose(predictor.predictFromStart(warpAffine(frame, inverse), turnedBox), size);
      deltas.turned.push(angleDiff(turned.roll, fit.roll + 20));
    }
    // dlib's points on a mirrored or turned face are not exactly the mirrored or turned points, and
    // on a few turned-away faces they settle elsewhere (measured on these 12: one yaw off by 12°).
    for (const d of Object.values(deltas)) {
      const sorted = d.map(Math.abs).sort((a, b) => a - b);
      expect(sorted[sorted.length >> 1]).toBeLessThan(1);
      expect(sorted.filter((v) => v < 3).length).toBeGreaterThanOrEqual(0.8 * sorted.length);
    }
  });
});
