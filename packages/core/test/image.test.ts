import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createFrame, cropFrame } from '../src/frame.js';
import { encodeImage, readImage, writeImage } from '../src/image.js';
import { needFiles, sharedPath } from '../src/testing.js';

describe('readImage', () => {
  it('decodes a CMYK JPEG to RGB', async (ctx) => {
    const cmyk = sharedPath('data/seed-sample/real/2.jpg');
    needFiles(ctx, cmyk);
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const frame = await readImage(cmyk);
    expect(frame.data.length).toBe(frame.width * frame.height * 3);
    expect([frame.width, frame.height]).toEqual([329, 422]);
    // A face photo: mid-range mean, not the inverted/black output of a naive CMYK read.
    const mean = frame.data.reduce((a, b) => a + b, 0) / frame.data.length;
    expect(mean).toBeGreaterThan(60);
    expect(mean).toBeLessThan(200);
  });

  it('expands grayscale and flattens RGBA', async () => {
    const gray = await sharp(Buffer.from([0, 128, 255, 64]), { raw: { width: 2, height: 2, channels: 1 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    const g = await readImage(gray);
    expect(g.data.length).toBe(12);
    expect(g.data[3]).toBe(g.data[4]);
    const rgba = await sharp(Buffer.from([255, 0, 0, 255, 0, 0, 255, 0]), {
      raw: { width: 2, height: 1, channels: 4 },
    })
      .png()
      .toBuffer();
    const f = await readImage(rgba);
    expect(Array.from(f.data)).toEqual([255, 0, 0, 255, 255, 255]);
  });

  it('names the file when it is missing or not an image', async () => {
    await expect(readImage('/no/such/face.jpg')).rejects.toThrow(
      /cannot read image \/no\/such\/face.jpg: no such file/,
    );
    await expect(readImage(new TextEncoder().encode('not an image'))).rejects.toThrow(
      /cannot decode image <12-byte/,
    );
  });

  it('round-trips through PNG', async () => {
    const frame = createFrame(new Uint8Array([1, 2, 3, 4, 5, 6]), 2, 1);
    expect(await readImage(await encodeImage(frame))).toEqual(frame);
    const dir = await mkdtemp(join(tmpdir(), 'fl-image-'));
    await writeImage(frame, join(dir, 'x.png'));
    expect(await readImage(join(dir, 'x.png'))).toEqual(frame);
  });
});

describe('cropFrame', () => {
  it('clips to the frame and rejects empty crops', () => {
    const frame = createFrame(
      new Uint8Array(4 * 3 * 3).map((_, i) => i),
      4,
      3,
    );
    const crop = cropFrame(frame, [-5, 1, 2, 10]);
    expect([crop.width, crop.height]).toEqual([2, 2]);
    expect(Array.from(crop.data.subarray(0, 3))).toEqual([12, 13, 14]);
    expect(() => cropFrame(frame, [5, 5, 9, 9])).toThrow(/outside the 4x3 frame/);
  });
});
