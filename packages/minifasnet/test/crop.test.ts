import type { Box } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { boxInCrop, silentFaceWindow } from '../src/crop.js';

// Expected windows: Silent-Face's CropImage._get_new_box run in Python on the same boxes (made
// [int(left), int(top), int(right - left + 1), int(bottom - top + 1)] as its detector wrapper does),
// its inclusive right/bottom + 1.
const CASES: [number, number, Box, number, Box][] = [
  [640, 480, [250.4, 180.7, 330.2, 290.9], 2.7, [182, 85, 399, 386]],
  [640, 480, [250.4, 180.7, 330.2, 290.9], 4.0, [130, 13, 451, 458]],
  [640, 480, [10.5, 20.2, 120.8, 160.1], 2.7, [0, 0, 300, 379]],
  [640, 480, [500, 300, 630, 470], 2.7, [285, 17, 640, 480]],
  [640, 480, [200, 100, 420, 400], 4.0, [134, 0, 487, 480]],
  [720, 480, [0, 0, 719, 479], 4.0, [0, 0, 720, 480]],
];

describe('silentFaceWindow', () => {
  it.for(CASES)('%i x %i, box %j, scale %d: Silent-Face window %j', ([w, h, box, scale, expected]) => {
    expect(silentFaceWindow(w, h, box, scale)).toEqual(expected);
  });
});

describe('boxInCrop', () => {
  it('is the centre 1 / (1 + 2 margin) of the crop', () => {
    expect(boxInCrop({ data: new Uint8Array(400 * 200 * 3), width: 400, height: 200 }, 1.5)).toEqual([
      150, 75, 250, 125,
    ]);
  });
});
