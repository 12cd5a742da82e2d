import type { Box, Frame, Keypoint } from '@face-liveness/core';
import { InvalidInputError } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { boxFromKeypoints, predictFromFace, predictFromKeypoints } from '../src/keypoint-box.js';
import { ShapePredictor } from '../src/shape-predictor.js';
import { lcg, randomModel } from './random-model.js';

const random = lcg(7);
const predictor = new ShapePredictor(randomModel(random, 68));
const frame: Frame = {
  data: Uint8Array.from({ length: 200 * 200 * 3 }, () => Math.floor(random() * 256)),
  width: 200,
  height: 200,
};
const box: Box = [50, 50, 150, 150];

/** Where the model's mean shape puts its eyes, nose tip and mouth in `start`, turned by `degrees` about its centre. */
function keypointsIn(start: Box, degrees = 0): Keypoint[] {
  const parts = [[36, 37, 38, 39, 40, 41], [42, 43, 44, 45, 46, 47], [30], [60, 61, 62, 63, 64, 65, 66, 67]];
  const ref = predictor.model.initialShape;
  const size = start[2] - start[0] - 1;
  const [cx, cy] = [start[0] + size / 2, start[1] + size / 2];
  const [cos, sin] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
  return parts.map((p) => {
    const x = start[0] + (size * p.reduce((s, i) => s + ref[2 * i], 0)) / p.length - cx;
    const y = start[1] + (size * p.reduce((s, i) => s + ref[2 * i + 1], 0)) / p.length - cy;
    return [cx + cos * x - sin * y, cy + sin * x + cos * y];
  });
}

describe('predictFromFace', () => {
  it('starts from the keypoints when they fit an upright face', () => {
    const keypoints = keypointsIn(box);
    const fitted = boxFromKeypoints(predictor.model, keypoints);
    fitted.forEach((v, i) => expect(v).toBeCloseTo(box[i], 6));
    expect(predictFromFace(predictor, frame, { box, keypoints }, 'res10')).toEqual(
      predictFromKeypoints(predictor, frame, keypoints),
    );
  });

  it('falls back to the box for keypoints at one point, upside down, on the side or not finite', () => {
    const fromBox = predictor.predictFromDetector(frame, box, 'res10');
    const bad: Keypoint[][] = [
      Array(6).fill([100, 100]),
      keypointsIn(box, 180),
      keypointsIn(box, 90),
      [[Number.NaN, 1], ...keypointsIn(box).slice(1)],
    ];
    for (const keypoints of bad) {
      expect(predictFromFace(predictor, frame, { box, keypoints }, 'res10')).toEqual(fromBox);
    }
    // boxFromKeypoints itself still says why it cannot fit them.
    expect(() => boxFromKeypoints(predictor.model, bad[0])).toThrow(InvalidInputError);
    expect(() => boxFromKeypoints(predictor.model, bad[1])).toThrow(/degenerate/);
  });
});
