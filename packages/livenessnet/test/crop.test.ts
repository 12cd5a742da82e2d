import { createFrame } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { cropFace } from '../src/crop.js';

describe('cropFace', () => {
  const frame = createFrame(new Uint8Array(16 * 16 * 3), 16, 16);

  it('crops the clipped box, grown by the margin', () => {
    expect(cropFace(frame, [-4, 2, 8, 30])).toMatchObject({ width: 8, height: 14 });
    expect(cropFace(frame, [4, 4, 8, 8], { margin: 0.5 })).toMatchObject({ width: 8, height: 8 });
    expect(() => cropFace(frame, [20, 20, 30, 30])).toThrow(/outside the 16x16 frame/);
  });
});
