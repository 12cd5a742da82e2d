import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeImage, type Frame, InvalidInputError, readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { synthesizeDirectory } from '../../src/synth/directory.js';
import { createRng, renderAttack, synthesizeAttack } from '../../src/synth/index.js';
import { jitterPhotometric } from '../../src/synth/photometric.js';

/** Wide saturated colour bands over a luminance ramp: colourful, smooth, with edges. */
function bands(width = 96, height = 80): Frame {
  const data = new Uint8Array(width * height * 3);
  const colours = [
    [220, 40, 40],
    [40, 200, 60],
    [50, 70, 220],
    [230, 200, 40],
  ];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colours[Math.floor((x / width) * colours.length)];
      const shade = 0.5 + (0.5 * y) / height;
      for (let k = 0; k < 3; k++) data[(y * width + x) * 3 + k] = Math.round(c[k] * shade);
    }
  }
  return { data, width, height };
}

/** Mean over pixels of max(R,G,B) - min(R,G,B): how colourful the frame is. */
function chroma(frame: Frame): number {
  let sum = 0;
  for (let i = 0; i < frame.data.length; i += 3) {
    const px = frame.data.subarray(i, i + 3);
    sum += Math.max(...px) - Math.min(...px);
  }
  return sum / (frame.data.length / 3);
}

describe('synthesizeAttack', () => {
  it('is deterministic for a seed and varies across seeds, for both kinds', async () => {
    const frame = bands();
    for (const kind of ['print', 'replay'] as const) {
      const a = await synthesizeAttack(frame, kind, createRng(42));
      const b = await synthesizeAttack(frame, kind, createRng(42));
      const c = await synthesizeAttack(frame, kind, createRng(43));
      expect([a.width, a.height]).toEqual([frame.width, frame.height]);
      expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
      expect(Buffer.from(a.data).equals(Buffer.from(c.data))).toBe(false);
    }
  });

  it('changes the image as a recapture does: prints lose colour, both kinds differ visibly from the source', () => {
    const frame = bands();
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const printChroma = seeds.map((s) => chroma(renderAttack(frame, 'print', createRng(s)).frame));
    const mean = printChroma.reduce((a, b) => a + b) / seeds.length;
    expect(mean).toBeLessThan(0.9 * chroma(frame));
    for (const kind of ['print', 'replay'] as const) {
      for (const s of seeds) {
        const out = renderAttack(frame, kind, createRng(s)).frame;
        let diff = 0;
        for (let i = 0; i < out.data.length; i++) diff += Math.abs(out.data[i] - frame.data[i]);
        expect(diff / out.data.length).toBeGreaterThan(3);
      }
    }
  });

  it('works on a real face crop from the shared data', async (ctx) => {
    const path = sharedPath('data/replay-one-subject/real/real.mp40.png');
    needFiles(ctx, path);
    const face = await readImage(path);
    const out = await synthesizeAttack(face, 'replay', createRng('face'));
    expect([out.width, out.height]).toEqual([face.width, face.height]);
  });

  it('rejects an unknown kind and a malformed frame with InvalidInputError', () => {
    expect(() => renderAttack(bands(), 'mask' as 'print', createRng(1))).toThrow(
      /unknown attack kind "mask"/,
    );
    expect(() =>
      renderAttack({ data: new Uint8Array(10), width: 4, height: 4 }, 'print', createRng(1)),
    ).toThrow(InvalidInputError);
  });
});

describe('jitterPhotometric', () => {
  it('is deterministic per seed, keeps the size and changes exposure or colour', async () => {
    const frame = bands();
    const a = await jitterPhotometric(frame, createRng(9));
    const b = await jitterPhotometric(frame, createRng(9));
    expect([a.width, a.height]).toEqual([frame.width, frame.height]);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    let diff = 0;
    for (let i = 0; i < a.data.length; i++) diff += Math.abs(a.data[i] - frame.data[i]);
    expect(diff / a.data.length).toBeGreaterThan(2);
  });
});

describe('synthesizeDirectory', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes per-image attacks mirroring sub-folders, never overwrites, and keeps outputs stable when inputs are added', async () => {
    dir = await mkdtemp(join(tmpdir(), 'synth-'));
    const inDir = join(dir, 'in');
    const outDir = join(dir, 'out');
    await mkdir(join(inDir, 'sub'), { recursive: true });
    await writeFile(join(inDir, 'a.png'), await encodeImage(bands(40, 32)));
    await writeFile(join(inDir, 'notes.txt'), 'not an image');
    const first = await synthesizeDirectory({ inDir, outDir, perImage: 2, seed: 5 });
    expect(first.inputs).toBe(1);
    expect(first.written.map((p) => p.slice(outDir.length + 1)).sort()).toEqual([
      'a.print0.png',
      'a.print1.png',
      'a.replay0.png',
      'a.replay1.png',
    ]);
    const before = await readImage(join(outDir, 'a.print0.png'));
    // A marker file where an output would go must survive.
    await writeFile(join(outDir, 'a.print0.png'), 'keep me');
    await writeFile(join(inDir, 'sub', 'b.png'), await encodeImage(bands(40, 32)));
    const second = await synthesizeDirectory({ inDir, outDir, perImage: 2, seed: 5, kinds: ['print'] });
    expect(second.skipped.map((p) => p.slice(outDir.length + 1)).sort()).toEqual([
      'a.print0.png',
      'a.print1.png',
    ]);
    expect(second.written.map((p) => p.slice(outDir.length + 1)).sort()).toEqual([
      join('sub', 'b.print0.png'),
      join('sub', 'b.print1.png'),
    ]);
    expect(await readFile(join(outDir, 'a.print0.png'), 'utf8')).toBe('keep me');
    // Same seed and name, fresh folder: the same attack as before b existed.
    const again = await synthesizeDirectory({ inDir, outDir: join(dir, 'again'), kinds: ['print'], seed: 5 });
    expect(again.written).toHaveLength(2);
    const same = await readImage(join(dir, 'again', 'a.print0.png'));
    expect(Buffer.from(same.data).equals(Buffer.from(before.data))).toBe(true);
    expect(await readdir(join(dir, 'again', 'sub'))).toEqual(['b.print0.png']);
  });

  it('names the option to fix for a missing folder, an empty folder and a bad count', async () => {
    dir = await mkdtemp(join(tmpdir(), 'synth-'));
    await expect(synthesizeDirectory({ inDir: join(dir, 'nope'), outDir: dir })).rejects.toThrow(
      /--in .*nope is not a folder/,
    );
    await expect(synthesizeDirectory({ inDir: dir, outDir: join(dir, 'o') })).rejects.toThrow(
      /--in .* holds no images/,
    );
    await expect(synthesizeDirectory({ inDir: dir, outDir: dir, perImage: 0 })).rejects.toThrow(
      /--per-image/,
    );
  });
});
