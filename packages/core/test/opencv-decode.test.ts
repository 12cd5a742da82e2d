import { describe, expect, it } from 'vitest';
import { readImage } from '../src/image.js';
import { readImageLikeOpenCV } from '../src/opencv-decode.js';
import { needFiles, sharedPath } from '../src/testing.js';

const CMYK = sharedPath('data/seed-sample/real/2.jpg');
const PNG = sharedPath('data/seed-sample/real/0.png');

function channelMeans(data: Uint8Array): number[] {
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i++) sum[i % 3] += data[i];
  return sum.map((s) => (s * 3) / data.length);
}

describe('readImageLikeOpenCV', () => {
  it("converts a CMYK JPEG as cv2.imread does (OpenCV 4.6's values)", async (ctx) => {
    needFiles(ctx, CMYK);
    const frame = await readImageLikeOpenCV(CMYK);
    expect([frame.width, frame.height]).toEqual([329, 422]);
    // cv2.imread(...)[100, 100] is BGR [74, 49, 77]; channel means (BGR) 84.65590832 73.52911307 123.62360449
    const i = (100 * frame.width + 100) * 3;
    expect(Array.from(frame.data.subarray(i, i + 3))).toEqual([77, 49, 74]);
    const [r, g, b] = channelMeans(frame.data);
    expect(r).toBeCloseTo(123.62360449, 6);
    expect(g).toBeCloseTo(73.52911307, 6);
    expect(b).toBeCloseTo(84.65590832, 6);
    // readImage honours the ICC profile instead, and differs visibly
    expect((await readImage(CMYK)).data.subarray(i, i + 3)).not.toEqual(frame.data.subarray(i, i + 3));
  });

  it('decodes other images exactly as readImage', async (ctx) => {
    needFiles(ctx, PNG);
    expect((await readImageLikeOpenCV(PNG)).data).toEqual((await readImage(PNG)).data);
  });
});
