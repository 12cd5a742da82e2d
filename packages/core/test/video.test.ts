import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { needFiles, sharedPath } from '../src/testing.js';
import { findFfmpeg, probeVideo, readVideo, writeVideo } from '../src/video.js';

const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const FAKE = sharedPath('data/replay-one-subject/videos/fake.mp4');
const tmp = mkdtempSync(join(tmpdir(), 'fl-video-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('findFfmpeg', () => {
  it('honours FFMPEG_PATH and explains a wrong one', () => {
    const saved = process.env.FFMPEG_PATH;
    try {
      process.env.FFMPEG_PATH = join(tmp, 'no-ffmpeg');
      expect(() => findFfmpeg()).toThrow(
        /FFMPEG_PATH=.*no-ffmpeg is not an executable.*apt-get install ffmpeg/,
      );
      delete process.env.FFMPEG_PATH;
      expect(findFfmpeg()).toMatch(/ffmpeg$/);
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
    }
  });
});

describe('an ffmpeg that cannot start', () => {
  it('is reported with the install hint, not a hang', async (ctx) => {
    needFiles(ctx, REAL);
    const broken = join(tmp, 'broken-ffmpeg');
    writeFileSync(broken, '#!/nonexistent/interpreter\n');
    chmodSync(broken, 0o755);
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = broken;
    try {
      const frames = async () => {
        for await (const _ of await readVideo(REAL)) {
          // drain
        }
      };
      await expect(frames()).rejects.toThrow(/cannot run .*broken-ffmpeg.*apt-get install ffmpeg/);
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
    }
  });
});

describe('probeVideo', () => {
  it('reads size, rate and length of the replay clips', async (ctx) => {
    needFiles(ctx, REAL, FAKE);
    const info = await probeVideo(REAL);
    expect(info).toMatchObject({ width: 368, height: 656, fps: 30, codec: 'h264', frameCount: 621 });
    expect(info.durationMs).toBeCloseTo(20700, -2);
    expect((await probeVideo(FAKE)).frameCount).toBeGreaterThan(0);
  });

  it('names a missing, a directory or an undecodable file', async () => {
    await expect(probeVideo(join(tmp, 'absent.mp4'))).rejects.toThrow(
      /cannot read video .*absent\.mp4: no such file/,
    );
    await expect(probeVideo(tmp)).rejects.toThrow(/is a directory/);
    const junk = join(tmp, 'junk.mp4');
    writeFileSync(junk, 'this is not a video'.repeat(100));
    const error = await probeVideo(junk).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/cannot decode video .*junk\.mp4/);
  });
});

describe('readVideo', () => {
  it('streams every frame of a file with timestamps', async (ctx) => {
    needFiles(ctx, REAL);
    const stream = await readVideo(REAL);
    expect(stream).toMatchObject({ width: 368, height: 656, fps: 30, frameCount: 621 });
    let count = 0;
    let last = -1;
    for await (const { frame, index, timestampMs } of stream) {
      expect(frame.data.length).toBe(368 * 656 * 3);
      expect(index).toBe(last + 1);
      expect(timestampMs).toBeCloseTo((index * 1000) / 30, 6);
      last = index;
      count++;
    }
    expect(count).toBe(621);
  });

  it('resamples and downscales, and stops ffmpeg when the loop breaks', async (ctx) => {
    needFiles(ctx, FAKE);
    const stream = await readVideo(FAKE, { fps: 10, maxWidth: 200 });
    expect(stream.width).toBe(200);
    expect(stream.height % 2).toBe(0);
    const frames = [];
    for await (const item of stream) {
      frames.push(item);
      if (frames.length === 5) break;
    }
    expect(frames.map((f) => f.timestampMs)).toEqual([0, 100, 200, 300, 400]);
    expect(frames[0].frame.width).toBe(200);
    // Frames are distinct buffers the consumer may keep.
    expect(frames[0].frame.data).not.toBe(frames[1].frame.data);
  });

  it('rejects a missing file, an undecodable file and a missing camera', async () => {
    await expect(readVideo(join(tmp, 'absent.mp4'))).rejects.toThrow(InvalidInputError);
    const junk = join(tmp, 'junk2.mp4');
    writeFileSync(junk, Buffer.alloc(5000, 7));
    await expect(readVideo(junk)).rejects.toThrow(/cannot decode video .*junk2\.mp4/);
    await expect(readVideo('/dev/video99')).rejects.toThrow(/camera \/dev\/video99 not found/);
    await expect(readVideo(junk, { fps: -1 })).rejects.toThrow(/fps must be a positive number/);
  });

  it('yields the decodable frames of a truncated file', async (ctx) => {
    needFiles(ctx, REAL);
    // A recording cut short (a full disk, a killed camera) keeps its first frames: decode them, do not fail.
    const cut = join(tmp, 'cut.mp4');
    writeFileSync(cut, readFileSync(REAL).subarray(0, 200_000));
    const stream = await readVideo(cut);
    let count = 0;
    for await (const _ of stream) count++;
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThan(stream.frameCount ?? 0);
  });
});

describe('VideoWriter', () => {
  it('writes H.264 yuv420p mp4 with every frame, padding odd sizes', async (ctx) => {
    needFiles(ctx, REAL);
    const out = join(tmp, 'copy.mp4');
    const source = await readVideo(REAL, { maxWidth: 181 });
    // 181 wide -> 180 (even) from readVideo; write an odd-sized crop to check the padding too.
    const writer = writeVideo(out, { width: 179, height: 99, fps: 25 });
    const kept: Uint8Array[] = [];
    let n = 0;
    for await (const { frame } of source) {
      const data = new Uint8Array(179 * 99 * 3);
      for (let y = 0; y < 99; y++)
        data.set(frame.data.subarray(y * frame.width * 3, (y * frame.width + 179) * 3), y * 179 * 3);
      if (n < 3) kept.push(data);
      await writer.write({ data, width: 179, height: 99 });
      if (++n === 40) break;
    }
    await writer.close();
    expect(writer.frameCount).toBe(40);
    const info = await probeVideo(out);
    expect(info).toMatchObject({ width: 180, height: 100, fps: 25, codec: 'h264', frameCount: 40 });
    // Decoded pixels match what was written, up to compression.
    const back = [];
    for await (const { frame } of await readVideo(out)) if (back.length < 3) back.push(frame);
    const first = back[0];
    const cropped = new Uint8Array(179 * 99 * 3);
    for (let y = 0; y < 99; y++)
      cropped.set(first.data.subarray(y * 180 * 3, (y * 180 + 179) * 3), y * 179 * 3);
    expect(meanAbsDiff(cropped, kept[0])).toBeLessThan(4);
  });

  it('is a valid video after an early close, and refuses wrong frames', async () => {
    const out = join(tmp, 'early.mp4');
    const writer = writeVideo(out, { width: 64, height: 48, fps: 30 });
    const frame = { data: new Uint8Array(64 * 48 * 3).fill(128), width: 64, height: 48 };
    await writer.write(frame);
    await expect(writer.write({ data: new Uint8Array(10 * 10 * 3), width: 10, height: 10 })).rejects.toThrow(
      /frame is 10x10 but the video .* is 64x48/,
    );
    await writer.close();
    await writer.close();
    await expect(writer.write(frame)).rejects.toThrow(/already closed/);
    expect(await probeVideo(out)).toMatchObject({ width: 64, height: 48, frameCount: 1 });
    expect(() => writeVideo(join(tmp, 'no/such/dir/x.mp4'), { width: 64, height: 48 })).toThrow(
      /does not exist/,
    );
  });
});
