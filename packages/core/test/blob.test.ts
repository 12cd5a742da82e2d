import { describe, expect, it } from 'vitest';
import { frameToBlob } from '../src/blob.js';
import { resizeBilinear } from '../src/resize.js';

/** A deterministic noisy frame: every byte different from its neighbours. */
function noise(width: number, height: number) {
  let state = width * 7919 + height;
  const data = new Uint8Array(width * height * 3).map(() => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state >>> 24;
  });
  return { data, width, height };
}

describe('frameToBlob', () => {
  it('equals resizeBilinear followed by planar (v - mean) * scale, down, up and at the same size', () => {
    for (const [sw, sh, w, h] of [
      [640, 480, 300, 300],
      [37, 23, 300, 300],
      [300, 300, 300, 300],
      [5, 9, 1, 1],
      [1, 1, 4, 3],
    ]) {
      const frame = noise(sw, sh);
      const resized = resizeBilinear(frame, w, h).data;
      for (const channelOrder of ['rgb', 'bgr'] as const) {
        const mean = [104, 177, 123] as const;
        const scale = channelOrder === 'rgb' ? 1 / 255 : 1;
        const blob = frameToBlob(frame, { width: w, height: h, channelOrder, mean, scale });
        const expected = new Float32Array(3 * w * h);
        for (let p = 0; p < w * h; p++) {
          for (let c = 0; c < 3; c++) {
            const source = channelOrder === 'bgr' ? 2 - c : c;
            expected[c * w * h + p] = (resized[3 * p + source] - mean[c]) * scale;
          }
        }
        // Counted, not toEqual: deep equality over 270k floats takes seconds.
        const differing = expected.filter((v, i) => v !== blob[i]).length;
        expect(blob.length).toBe(expected.length);
        expect(differing, `${sw}x${sh} -> ${w}x${h} ${channelOrder}`).toBe(0);
      }
    }
  });

  it('writes into the buffer it is given and rejects bad sizes', () => {
    const frame = noise(8, 6);
    const out = new Float32Array(3 * 4 * 4);
    expect(frameToBlob(frame, { width: 4, height: 4 }, out)).toBe(out);
    expect(() => frameToBlob(frame, { width: 4, height: 5 }, out)).toThrow(/expected 3x5x4/);
    expect(() => frameToBlob(frame, { width: 0, height: 5 })).toThrow(/positive integers/);
    expect(() =>
      frameToBlob({ data: new Uint8Array(5), width: 2, height: 2 }, { width: 2, height: 2 }),
    ).toThrow();
  });
});
