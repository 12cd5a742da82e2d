import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodedSize, probeImage, readImage } from '../src/image.js';
import { needFiles, sharedPath } from '../src/testing.js';
import { probeVideo, readVideo } from '../src/video.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
const VIDEO = sharedPath('data/replay-one-subject/videos/real.mp4');
const PHOTO = sharedPath('data/silentface-samples/real/image_T1.jpg');

let dir: string;
let big: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fl-limits-'));
  big = join(dir, 'big.jpg');
  // A solid 16000x16000 JPEG: about 1.5 MB on disk, 768 MB as RGB.
  await sharp({ create: { width: 16000, height: 16000, channels: 3, background: '#808080' } })
    .jpeg({ quality: 50 })
    .toFile(big);
  await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } })
    .png()
    .toFile(join(dir, 'small.png'));
});

// RSS is per process: measure the refusal in a fresh child, after sharp has decoded a small image.
const CHILD = `
import { readImage } from ${JSON.stringify(DIST)};
await readImage(process.argv[2]);
const rss = process.memoryUsage().rss;
const start = performance.now();
const error = await readImage(process.argv[1]).catch((e) => e);
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, rssMb: (process.memoryUsage().rss - rss) / 1e6, message: error.message }));
`;

describe('image limits', () => {
  it('refuses a 16000x16000 JPEG from its header, fast and in little memory', (ctx) => {
    ctx.skip(!existsSync(DIST), 'needs packages/core/dist (npm run build -w @face-liveness/core)');
    const out = execFileSync('node', ['--input-type=module', '-e', CHILD, big, join(dir, 'small.png')], {
      encoding: 'utf8',
    });
    const { ms, rssMb, message } = JSON.parse(out) as { ms: number; rssMb: number; message: string };
    console.log(`16000x16000 JPEG refused in ${ms.toFixed(1)} ms, RSS +${rssMb.toFixed(1)} MB`);
    expect(message).toMatch(
      /refused image .*big\.jpg: 16000x16000 is 256 megapixels, above the limit of 40 megapixels \(raise it with the maxPixels option or FACE_LIVENESS_MAX_PIXELS/,
    );
    // Generous bounds: the point is that nothing was decoded (decoding takes seconds and 768 MB).
    expect(ms).toBeLessThan(1000);
    expect(rssMb).toBeLessThan(50);
  });

  it('downscales a large accepted image while decoding, and keeps every pixel when asked', async () => {
    const wide = await sharp({ create: { width: 5000, height: 1000, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    expect(await probeImage(wide)).toMatchObject({ width: 5000, height: 1000, format: 'jpeg' });
    const frame = await readImage(wide);
    expect([frame.width, frame.height]).toEqual([2048, 410]);
    expect(decodedSize({ width: 5000, height: 1000 })).toEqual([2048, 410]);
    expect(decodedSize({ width: 640, height: 480 })).toEqual([640, 480]);
    const small = await readImage(wide, { maxSide: 500 });
    expect([small.width, small.height]).toEqual([500, 100]);
    expect((await readImage(wide, { maxSide: Number.POSITIVE_INFINITY })).width).toBe(5000);
    await expect(readImage(wide, { maxPixels: 1e6 })).rejects.toThrow(
      /5000x1000 is 5 megapixels, above the limit of 1 megapixels/,
    );
  });

  it('raises the pixel limit when asked', async () => {
    const info = await probeImage(big, { maxPixels: 300e6 });
    expect([info.width, info.height]).toEqual([16000, 16000]);
  });

  it('refuses images below minSide', async () => {
    const dot = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect((await readImage(dot)).width).toBe(1);
    await expect(readImage(dot, { minSide: 16 })).rejects.toThrow(
      /1x1 is too small, each side must be at least 16 px/,
    );
  });

  it('names empty, text and damaged files', async (ctx) => {
    needFiles(ctx, PHOTO);
    const bytes = readFileSync(PHOTO);
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty.jpg', new Uint8Array(0), /empty\.jpg: it is empty/],
      ['notes.jpg', new TextEncoder().encode('shopping list\n'), /notes\.jpg: it is text/],
      [
        'half.jpg',
        bytes.subarray(0, bytes.length >> 1),
        /half\.jpg: the image data is damaged \(VipsJpeg: premature end/,
      ],
    ];
    for (const [name, data, message] of cases) {
      writeFileSync(join(dir, name), data);
      await expect(readImage(join(dir, name))).rejects.toThrow(message);
    }
  });

  it('refuses JPEGs whose flipped bits libjpeg notices, unless failOn is error', async (ctx) => {
    needFiles(ctx, PHOTO);
    const flipped = Buffer.from(readFileSync(PHOTO));
    // Bit flips that libjpeg reports as "Corrupt JPEG data" (a warning): most flips go unnoticed.
    let seed = 4 * 7919 + 1;
    for (let i = 0; i < 20; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      flipped[1000 + (seed % (flipped.length - 1200))] ^= 1 << (seed % 8);
    }
    await expect(readImage(flipped)).rejects.toThrow(
      /the image data is damaged \(VipsJpeg: Corrupt JPEG data/,
    );
    expect((await readImage(flipped, { failOn: 'error' })).width).toBe((await readImage(PHOTO)).width);
  });
});

describe('video limits', () => {
  it('refuses a text file, which ffmpeg would render as ANSI art', async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'A long text file. '.repeat(400));
    await expect(probeVideo(notes)).rejects.toThrow(
      /cannot decode video .*notes\.txt: it is text, not a video/,
    );
  });

  it('refuses videos above maxPixels or maxDurationMs before decoding', async (ctx) => {
    needFiles(ctx, VIDEO);
    await expect(readVideo(VIDEO, { maxPixels: 100_000 })).rejects.toThrow(
      /368x656 frames are 0\.241 megapixels, above the limit of 0\.1 megapixels/,
    );
    await expect(readVideo(VIDEO, { maxDurationMs: 5000 })).rejects.toThrow(
      /s long, the limit is 5 s \(raise it with the maxDurationMs option\)/,
    );
    expect((await readVideo(VIDEO, { maxDurationMs: 60_000 })).width).toBe(368);
  });
});
