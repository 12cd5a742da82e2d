import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

const REAL = sharedPath('data/silentface-samples/real/image_T1.jpg');
const FAKE = sharedPath('data/silentface-samples/fake/image_F1.jpg');
const VIDEO = sharedPath('data/replay-one-subject/videos/real.mp4');
const tmp = mkdtempSync(join(tmpdir(), 'fl-cli-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const GOOD = ['good-real.jpg', 'good-fake.jpg'];
/** Each bad file and what its error must say. */
const BAD: Record<string, RegExp> = {
  'empty.jpg': /empty\.jpg: it is empty/,
  'notes.jpg': /notes\.jpg: it is text/,
  'truncated.jpg': /truncated\.jpg: the image data is damaged \(VipsJpeg: premature end/,
  'flipped.jpg': /flipped\.jpg: the image data is damaged \(VipsJpeg: Corrupt JPEG data/,
};
const mixed = join(tmp, 'mixed');
const files = () => [...GOOD, ...Object.keys(BAD), 'tiny.png'].map((f) => join(mixed, f));

beforeAll(async () => {
  if (!existsSync(REAL) || !existsSync(FAKE)) return;
  mkdirSync(mixed);
  copyFileSync(REAL, join(mixed, GOOD[0]));
  copyFileSync(FAKE, join(mixed, GOOD[1]));
  writeFileSync(join(mixed, 'empty.jpg'), '');
  writeFileSync(join(mixed, 'notes.jpg'), 'meeting notes\n');
  const bytes = readFileSync(REAL);
  writeFileSync(join(mixed, 'truncated.jpg'), bytes.subarray(0, bytes.length >> 1));
  // 20 bit flips of which libjpeg notices one ("Corrupt JPEG data"); most flips go unnoticed.
  const flipped = Buffer.from(bytes);
  let seed = 4 * 7919 + 1;
  for (let i = 0; i < 20; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    flipped[1000 + (seed % (flipped.length - 1200))] ^= 1 << (seed % 8);
  }
  writeFileSync(join(mixed, 'flipped.jpg'), flipped);
  await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
    .png()
    .toFile(join(mixed, 'tiny.png'));
});

function expectBadNamed(err: string): void {
  for (const message of Object.values(BAD)) expect(err).toMatch(message);
}

describe('a folder of good and bad images', () => {
  it('classify scores every good image, names every bad one and exits 1', async (ctx) => {
    needFiles(ctx, REAL, FAKE);
    const r = await runCli(['classify', ...files()]);
    for (const good of GOOD) expect(r.out).toMatch(new RegExp(`${good}\\t(real|fake)\\t0\\.\\d{4}`));
    expectBadNamed(r.err);
    expect(r.err).toMatch(/tiny\.png: 1x1 is too small, each side must be at least 16 px/);
    expect(r.out).not.toMatch(/tiny\.png/);
    expect(r.err).toMatch(/^2 ok, 5 failed$/m);
    expect(r.err).toMatch(/5 of 7 images could not be classified/);
    expect(r.code).toBe(1);
  });

  it('detect --json prints a result or an error record for every image', async (ctx) => {
    needFiles(ctx, REAL, FAKE);
    const r = await runCli(['detect', '--json', ...files()]);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.image)).toEqual(files());
    for (const line of lines.slice(0, 2)) expect(line.faces).toHaveLength(1);
    expectBadNamed(lines.map((l) => l.error ?? '').join('\n'));
    expect(lines[6]).toMatchObject({ width: 1, height: 1, faces: [] });
    expect(r.err).toMatch(/^3 ok, 4 failed$/m);
    expect(r.code).toBe(1);
  });

  it('evaluate names each unreadable image, scores the rest and exits 1', async (ctx) => {
    needFiles(ctx, REAL, FAKE);
    const set = join(tmp, 'set');
    mkdirSync(join(set, 'real'), { recursive: true });
    mkdirSync(join(set, 'fake'), { recursive: true });
    for (const f of [GOOD[0], ...Object.keys(BAD)]) copyFileSync(join(mixed, f), join(set, 'real', f));
    copyFileSync(join(mixed, GOOD[1]), join(set, 'fake', GOOD[1]));
    const r = await runCli(['evaluate', '-dv', set, '--no-roc', '--json']);
    expect(JSON.parse(r.out).images).toBe(2);
    for (const [file, message] of Object.entries(BAD)) {
      // The dataset is listed by extension: notes.jpg is an image to it, and refused as text.
      expect(r.err).toMatch(new RegExp(`skipped .*${file.replace('.', '\\.')}: .*${message.source}`));
    }
    expect(r.err).toMatch(/^2 ok, 4 failed, 0 without a face$/m);
    expect(r.code).toBe(1);
  });
});

describe('analyze', () => {
  it('refuses a text file instead of judging it as a video', async () => {
    const notes = join(tmp, 'notes.txt');
    writeFileSync(notes, 'Things to do. '.repeat(300));
    const r = await runCli(['analyze', notes, '--json']);
    expect(JSON.parse(r.out)).toEqual({
      input: notes,
      error: `cannot decode video ${notes}: it is text, not a video`,
    });
    expect(r.code).toBe(1);
  });

  it('--jsonl streams frames, so that an interrupted run keeps them', async (ctx) => {
    needFiles(ctx, VIDEO);
    let sent = false;
    const r = await runCli(['analyze', VIDEO, '--jsonl'], {
      onStderr: (err, child) => {
        if (!sent && /frame \d+/.test(err)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      },
    });
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const frames = lines.filter((l) => l.frame);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.map((l) => l.frame.index)).toEqual(frames.map((_, i) => i));
    expect(lines.at(-1)).toMatchObject({ input: VIDEO, aborted: true, frames: frames.length });
  });
});

describe('landmarks --boxes', () => {
  it('uses every good line and names each bad one', async (ctx) => {
    needFiles(ctx, REAL, '/usr/share/dlib/shape_predictor_68_face_landmarks.dat');
    const file = join(tmp, 'boxes.jsonl');
    const line = (box: number[]) => JSON.stringify({ image: REAL, box });
    writeFileSync(
      file,
      [
        line([100, 117, 289, 355]),
        line([-5000, -5000, 90000, 90000]),
        'oops',
        line([110, 120, 280, 350]),
      ].join('\n'),
    );
    const r = await runCli(['landmarks', '--boxes', file, '--json']);
    const out = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.filter((l) => l.points?.length === 68)).toHaveLength(2);
    expect(out[1].error).toMatch(
      /line 2: box \[-5000, -5000, 90000, 90000\] lies mostly outside the 480x640 image/,
    );
    expect(out[2].error).toMatch(/line 3 is not JSON/);
    expect(r.err).toMatch(/^2 ok, 2 failed$/m);
    expect(r.code).toBe(1);
  });
});

describe('a 16000x16000 JPEG', () => {
  it('is refused by the CLI from its header: no model loaded, memory as for --version', async (ctx) => {
    needFiles(ctx, '/usr/bin/time');
    const big = join(tmp, 'big.jpg');
    await sharp({ create: { width: 16000, height: 16000, channels: 3, background: '#808080' } })
      .jpeg({ quality: 50 })
      .toFile(big);
    // GNU time's %M: the peak RSS of the whole command (KB); %e: its wall time (s).
    const measure = (...args: string[]) => {
      const r = spawnSync('/usr/bin/time', ['-f', 'TIME %M %e', process.execPath, BIN, ...args], {
        encoding: 'utf8',
      });
      const [, kb, seconds] = /TIME (\d+) ([\d.]+)/.exec(r.stderr) ?? [];
      return { code: r.status, err: r.stderr, mb: Number(kb) / 1024, seconds: Number(seconds) };
    };
    const baseline = measure('--version');
    const refused = measure('detect', big);
    console.log(
      `detect 16000x16000 JPEG: exit ${refused.code}, ${refused.seconds} s, peak RSS ${refused.mb.toFixed(0)} MB ` +
        `(face-liveness --version: ${baseline.seconds} s, ${baseline.mb.toFixed(0)} MB)`,
    );
    expect(refused.err).toMatch(
      /refused image .*big\.jpg: 16000x16000 is 256 megapixels, above the limit of 40 megapixels/,
    );
    expect(refused.code).toBe(1);
    // Decoding it would take 768 MB and more; the refusal costs what starting the CLI costs.
    expect(refused.mb).toBeLessThan(baseline.mb + 50);
  });
});
