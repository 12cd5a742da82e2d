import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '@face-liveness/core';
import sharp from 'sharp';
import { afterAll, expect, it } from 'vitest';
import { extractFaces } from '../src/extract.js';

const dir = await mkdtemp(join(tmpdir(), 'livenessnet-extract-progress-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

it('extractFaces reports progress after each input, unreadable ones too', async () => {
  const grey = { create: { width: 32, height: 32, channels: 3 as const, background: '#808080' } };
  await sharp(grey).png().toFile(join(dir, 'a.png'));
  await writeFile(join(dir, 'b.png'), 'not an image');
  const progress: [number, number][] = [];
  const summary = await extractFaces([join(dir, 'a.png'), join(dir, 'b.png')], {
    outDir: join(dir, 'out'),
    detector: { detect: async (f: Frame) => [{ box: [0, 0, f.width, f.height], score: 1 }] },
    onProgress: (done, total) => progress.push([done, total]),
  });
  expect(summary).toMatchObject({ written: 1, unreadable: 1 });
  expect(progress).toEqual([
    [1, 2],
    [2, 2],
  ]);
});
