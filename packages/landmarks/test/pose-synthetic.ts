import type { Point } from '@face-liveness/core';
import { type HeadPose, rotationFromEuler } from '../src/pose.js';
import { MEAN_FACE, POSE_PARTS } from '../src/pose-model.js';

/** A seeded uniform generator (mulberry32), so that the synthetic poses are the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 68 points of the mean face at `pose`, `depth` model units from a camera of focal length `width`,
 * centred at (`cx`, `cy`), with Gaussian noise of `noise` px; parts outside the model stay at the centre.
 */
export function projectFace(
  pose: HeadPose,
  opts: {
    width: number;
    height: number;
    depth: number;
    cx: number;
    cy: number;
    noise?: number;
    rand?: () => number;
  },
): Point[] {
  const r = rotationFromEuler(pose);
  const f = opts.width;
  const gauss = () => {
    const rand = opts.rand ?? Math.random;
    return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  };
  const points: Point[] = Array.from({ length: 68 }, () => [opts.cx, opts.cy]);
  const tx = ((opts.cx - opts.width / 2) * opts.depth) / f;
  const ty = ((opts.cy - opts.height / 2) * opts.depth) / f;
  MEAN_FACE.forEach((p, i) => {
    const x = r[0] * p[0] + r[1] * p[1] + r[2] * p[2] + tx;
    const y = r[3] * p[0] + r[4] * p[1] + r[5] * p[2] + ty;
    const z = r[6] * p[0] + r[7] * p[1] + r[8] * p[2] + opts.depth;
    const n = opts.noise ?? 0;
    points[POSE_PARTS[i]] = [
      (f * x) / z + opts.width / 2 + n * gauss(),
      (f * y) / z + opts.height / 2 + n * gauss(),
    ];
  });
  return points;
}
