import { DLIB_FROM_RES10 } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { fromDetectorBox } from '../src/box-mapping.js';
import { ShapePredictor } from '../src/shape-predictor.js';
import { tinyModel } from './tiny-model.js';

describe('detector box -> dlib box', () => {
  it('applies the fitted res10 map in the box frame and leaves dlib boxes alone', () => {
    const { dx, dy, sx, sy } = DLIB_FROM_RES10;
    const [x1, y1, x2, y2] = fromDetectorBox([100, 100, 200, 300], 'res10');
    expect((x1 + x2) / 2).toBeCloseTo(150 + dx * 100, 9);
    expect((y1 + y2) / 2).toBeCloseTo(200 + dy * 200, 9);
    expect(x2 - x1).toBeCloseTo(sx * 100, 9);
    expect(y2 - y1).toBeCloseTo(sy * 200, 9);
    expect(fromDetectorBox([1, 2, 3, 4], 'dlib')).toEqual([1, 2, 3, 4]);
  });

  it('recovers the box a shape was placed in (boxFromShape)', () => {
    const sp = new ShapePredictor(tinyModel());
    const ref = sp.model.initialShape;
    // the mean shape placed in dlib rect [10, 20, 30, 40] (20 px across) = box [10, 20, 31, 41]
    const points = [0, 1, 2].map((i): [number, number] => [10 + 20 * ref[2 * i], 20 + 20 * ref[2 * i + 1]]);
    const box = sp.boxFromShape(points);
    [10, 20, 31, 41].forEach((v, i) => expect(box[i]).toBeCloseTo(v, 4));
  });
});
