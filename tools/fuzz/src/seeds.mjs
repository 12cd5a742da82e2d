// The seed media every case starts from, made once and cached (same inputs, same bytes): a small
// face photo as JPEG (baseline and progressive), PNG and WebP made with sharp, a 2-second H.264
// clip cut with ffmpeg (MP4 and the same stream in MKV), and the decompression bombs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import {
  BLAZEFACE_ONNX,
  CLI_BIN,
  LIVENESSNET_DIR,
  RES10_PB,
  RES10_PBTXT,
  SEED_IMAGE,
  SEED_VIDEO,
} from './paths.mjs';
import { crc32 } from './png.mjs';

const VERSION = 2;

async function cached(dir, name, make) {
  const path = join(dir, name);
  if (!existsSync(path)) {
    const bytes = await make();
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  }
  return readFileSync(path);
}

function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG declaring width x height (1-bit grey) whose IDAT inflates to `rows` zero rows. */
export function pngBomb(width, height, rows) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const stride = 1 + Math.ceil(width / 8);
  const raw = Buffer.alloc(Math.min(rows, height) * stride);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A GIF whose logical screen and one image are width x height, with a few bytes of LZW data. */
export function gifBomb(width, height) {
  const b = [
    0x47,
    0x49,
    0x46,
    0x38,
    0x39,
    0x61,
    width & 255,
    width >> 8,
    height & 255,
    height >> 8,
    0x80,
    0,
    0,
  ];
  b.push(0, 0, 0, 255, 255, 255); // 2-colour table
  b.push(0x2c, 0, 0, 0, 0, width & 255, width >> 8, height & 255, height >> 8, 0);
  b.push(2, 2, 0x4c, 0x01, 0, 0x3b);
  return Buffer.from(b);
}

/** A JPEG cut after its headers, its SOF saying width x height. */
export function jpegWithSize(jpeg, width, height) {
  const out = Buffer.from(jpeg);
  const sof = findSof(out);
  if (sof < 0) return out;
  out.writeUInt16BE(height, sof + 5);
  out.writeUInt16BE(width, sof + 7);
  return out;
}

/** Offset of the first SOFn marker (FF C0-CF but C4, C8, CC), or -1. */
export function findSof(jpeg) {
  for (let i = 2; i + 9 < jpeg.length; ) {
    if (jpeg[i] !== 0xff) return -1;
    const marker = jpeg[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return i;
    if (marker === 0xda) return -1;
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return -1;
}

/** A WebP (VP8X) whose canvas says width x height, followed by the VP8 data of `webp`. */
export function webpWithCanvas(webp, width, height) {
  const vp8x = Buffer.alloc(18);
  vp8x.write('VP8X', 0, 'latin1');
  vp8x.writeUInt32LE(10, 4);
  vp8x.writeUIntLE(width - 1, 12, 3);
  vp8x.writeUIntLE(height - 1, 15, 3);
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), vp8x, webp.subarray(12)]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function ffmpeg(args) {
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Every seed, as bytes. `dir` caches them between runs. */
export async function makeSeeds(dir = join(tmpdir(), `face-liveness-fuzz-seeds-v${VERSION}`)) {
  mkdirSync(dir, { recursive: true });
  const small = () => sharp(SEED_IMAGE).rotate().resize({ width: 240 });
  const jpeg = await cached(dir, 'face.jpg', () => small().jpeg({ quality: 85 }).toBuffer());
  const jpegProgressive = await cached(dir, 'face-progressive.jpg', () =>
    small().jpeg({ quality: 80, progressive: true }).toBuffer(),
  );
  const png = await cached(dir, 'face.png', () => small().png().toBuffer());
  const webp = await cached(dir, 'face.webp', () => small().webp({ quality: 80 }).toBuffer());
  const mp4 = await cached(dir, 'clip.mp4', async () => {
    const out = join(dir, 'clip.tmp.mp4');
    ffmpeg(
      ['-ss', '3', '-t', '2', '-i', SEED_VIDEO, '-vf', 'scale=184:328', '-an', '-c:v', 'libx264'].concat([
        '-preset',
        'veryfast',
        '-threads',
        '1',
        '-bitexact',
        '-fflags',
        '+bitexact',
        out,
      ]),
    );
    return readFileSync(out);
  });
  const mkv = await cached(dir, 'clip.mkv', async () => {
    const out = join(dir, 'clip.tmp.mkv');
    ffmpeg(['-i', join(dir, 'clip.mp4'), '-c', 'copy', '-bitexact', '-fflags', '+bitexact', out]);
    return readFileSync(out);
  });
  // 4096x4096, one black frame: 16.8 megapixels, over the service's MAX_PIXELS, under the CLI's limit.
  const bigVideo = await cached(dir, 'big-frame.mp4', async () => {
    const out = join(dir, 'big-frame.tmp.mp4');
    ffmpeg(
      [
        '-f',
        'lavfi',
        '-i',
        'color=c=black:s=4096x4096:d=0.04:r=25',
        '-frames:v',
        '1',
        '-c:v',
        'libx264',
      ].concat(['-preset', 'ultrafast', '-threads', '1', '-bitexact', '-fflags', '+bitexact', out]),
    );
    return readFileSync(out);
  });
  // 20000x20000 (400 megapixels) that really inflates to 50 MB of zeros: a decompression bomb.
  const pngDeflateBomb = await cached(dir, 'bomb-deflate.png', () => pngBomb(20000, 20000, 20000));
  // res10 converted by the CLI itself from OpenCV's TensorFlow files (about a second).
  const res10 = await cached(dir, 'res10.onnx', () => {
    const out = join(dir, 'res10.tmp.onnx');
    execFileSync(
      process.execPath,
      [CLI_BIN, 'models', 'convert', '--pb', RES10_PB, '--pbtxt', RES10_PBTXT, '-o', out],
      { stdio: 'ignore' },
    );
    return readFileSync(out);
  });
  return {
    res10,
    images: { jpeg, jpegProgressive, png, webp },
    videos: { mp4, mkv },
    bigVideo,
    pngDeflateBomb,
    onnx: readFileSync(BLAZEFACE_ONNX),
    livenessnet: {
      modelJson: readFileSync(join(LIVENESSNET_DIR, 'model.json')),
      weights: readFileSync(join(LIVENESSNET_DIR, 'weights.bin')),
    },
  };
}
