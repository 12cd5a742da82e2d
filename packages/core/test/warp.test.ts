import { describe, expect, it } from 'vitest';
import { createFrame } from '../src/frame.js';
import { flipHorizontal, warpAffine } from '../src/warp.js';

const gradient = createFrame(
  Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => Math.floor(i / 3) * 10),
  4,
  3,
);

describe('warpAffine', () => {
  it('is the identity for the identity matrix and shifts with edge replication', () => {
    expect(warpAffine(gradient, [1, 0, 0, 0, 1, 0]).data).toEqual(gradient.data);
    // output x samples input x + 1: the last column repeats (nearest fill)
    const shifted = warpAffine(gradient, [1, 0, 1, 0, 1, 0]);
    expect(Array.from(shifted.data.filter((_, i) => i % 3 === 0))).toEqual([
      10, 20, 30, 30, 50, 60, 70, 70, 90, 100, 110, 110,
    ]);
  });

  it('interpolates bilinearly between pixels', () => {
    const half = warpAffine(gradient, [1, 0, 0.5, 0, 1, 0]);
    expect(half.data[0]).toBe(5);
  });

  it('flips left to right', () => {
    const flipped = flipHorizontal(gradient);
    expect(flipped.data[0]).toBe(30);
    expect(flipHorizontal(flipped).data).toEqual(gradient.data);
  });
});
