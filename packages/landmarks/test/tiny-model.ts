import type { ShapePredictorModel } from '../src/model.js';

/**
 * A hand-made 3-point predictor whose output can be worked out on paper: two cascades of one
 * depth-1 tree each. Cascade 0 compares the pixel under point 0 with the pixel under point 1 and
 * moves every point 0.1 box-widths right (left leaf) or left (right leaf); cascade 1 compares
 * the pixel 0.1 box-widths right of point 0 with the pixel under point 2 and moves every point
 * 0.1 box-heights down or up.
 */
export function tinyModel(threshold = 10): ShapePredictorModel {
  const move = (dx: number, dy: number) => [dx, dy, dx, dy, dx, dy];
  return {
    numParts: 3,
    initialShape: Float32Array.from([0.2, 0.5, 0.8, 0.5, 0.5, 0.2]),
    cascades: [
      {
        anchorIdx: Uint32Array.from([0, 1]),
        deltas: Float32Array.from([0, 0, 0, 0]),
        splitStart: Uint32Array.from([0, 1]),
        splitIdx1: Uint32Array.from([0]),
        splitIdx2: Uint32Array.from([1]),
        splitThresh: Float32Array.from([threshold]),
        leafStart: Uint32Array.from([0, 2]),
        leafValues: Float32Array.from([...move(0.1, 0), ...move(-0.1, 0)]),
      },
      {
        anchorIdx: Uint32Array.from([0, 2]),
        deltas: Float32Array.from([0.1, 0, 0, 0]),
        splitStart: Uint32Array.from([0, 1]),
        splitIdx1: Uint32Array.from([0]),
        splitIdx2: Uint32Array.from([1]),
        splitThresh: Float32Array.from([threshold]),
        leafStart: Uint32Array.from([0, 2]),
        leafValues: Float32Array.from([...move(0, 0.1), ...move(0, -0.1)]),
      },
    ],
  };
}
