import { describe, expect, it } from 'vitest';
import { createFrame } from '../src/frame.js';
import { InvalidInputError } from '../src/index.js';
import { inverseRotation, ROTATIONS, rotateBox, rotateFrame, rotatePoint } from '../src/rotate.js';

// 3 wide, 2 high; pixel (x, y) has red 10 * (y * 3 + x) + 1, so every pixel is distinct.
const frame = createFrame(
  Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => (i % 3 === 0 ? 10 * (i / 3) + 1 : i % 3)),
  3,
  2,
);
const red = (f: { data: Uint8Array }) => Array.from(f.data.filter((_, i) => i % 3 === 0));

describe('rotateFrame', () => {
  it('turns clockwise by 90, 180 and 270 degrees', () => {
    // 1  11 21
    // 31 41 51
    expect(rotateFrame(frame, 0)).toBe(frame);
    const r90 = rotateFrame(frame, 90);
    expect([r90.width, r90.height]).toEqual([2, 3]);
    expect(red(r90)).toEqual([31, 1, 41, 11, 51, 21]);
    expect(red(rotateFrame(frame, 180))).toEqual([51, 41, 31, 21, 11, 1]);
    expect(red(rotateFrame(frame, 270))).toEqual([21, 51, 11, 41, 1, 31]);
    expect(Array.from(r90.data.filter((_, i) => i % 3 !== 0))).toEqual(
      Array(12)
        .fill(0)
        .map((_, i) => 1 + (i % 2)),
    );
  });

  it('comes back to the frame with the inverse rotation', () => {
    for (const r of ROTATIONS)
      expect(rotateFrame(rotateFrame(frame, r), inverseRotation(r)).data).toEqual(frame.data);
  });

  it('rejects other angles', () => {
    expect(() => rotateFrame(frame, 45 as never)).toThrow(InvalidInputError);
  });
});

describe('rotatePoint and rotateBox', () => {
  it('follow the pixels of rotateFrame', () => {
    for (const r of ROTATIONS) {
      const turned = rotateFrame(frame, r);
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 3; x++) {
          const [tx, ty] = rotatePoint([x + 0.5, y + 0.5], r, 3, 2);
          const at = (Math.floor(ty) * turned.width + Math.floor(tx)) * 3;
          expect(turned.data[at]).toBe(frame.data[(y * 3 + x) * 3]);
        }
      }
    }
  });

  it('map a box there and back exactly', () => {
    for (const r of ROTATIONS) {
      const turned = rotateBox([0.5, 0.25, 2, 1.5], r, 3, 2);
      const [w, h] = r % 180 ? [2, 3] : [3, 2];
      expect(rotateBox(turned, inverseRotation(r), w, h)).toEqual([0.5, 0.25, 2, 1.5]);
    }
    expect(rotateBox([0, 0, 1, 2], 90, 3, 2)).toEqual([0, 0, 2, 1]);
  });
});
