import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Box, Frame } from '@face-liveness/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LivenessModelLike } from '../../src/classifier.js';
import { evaluateModel } from '../../src/evaluate/evaluate.js';

// Every crop gets P(live) 0.2, so that a score of another value came from scoreFace.
const constant: LivenessModelLike = {
  classNames: ['fake', 'real'],
  threshold: 0.5,
  decoder: 'standard',
  cropMargin: 0,
  classify: async () => ({ score: 0.2, label: 'fake', probabilities: [0.8, 0.2] }),
  classifyBatch: async (crops) => crops.map(() => ({ score: 0.2, label: 'fake', probabilities: [0.8, 0.2] })),
  close: async () => {},
};
const wholeFrame = { detect: async (f: Frame) => [{ box: [0, 0, f.width, f.height] as Box, score: 1 }] };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livenessnet-evaluate-options-'));
  const image = (path: string, side: number, grey: number) =>
    sharp({ create: { width: side, height: side, channels: 3, background: { r: grey, g: grey, b: grey } } })
      .png()
      .toFile(join(dir, path));
  await Promise.all([mkdir(join(dir, 'real')), mkdir(join(dir, 'fake'))]);
  await Promise.all([
    image('real/a.png', 32, 255),
    image('real/tiny.png', 8, 255),
    image('fake/b.png', 32, 0),
  ]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('evaluateModel options', () => {
  it('minSide leaves out images too small to be face crops; onProgress counts them too', async () => {
    const progress: [number, number][] = [];
    const result = await evaluateModel(constant, dir, {
      minSide: 16,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(result.samples.map((s) => s.score)).toEqual([0.2, 0.2]);
    expect(result.skipped).toEqual([
      { path: join(dir, 'real', 'tiny.png'), reason: expect.stringMatching(/8x8 is too small/) },
    ]);
    expect(progress.at(-1)).toEqual([3, 3]);
  });

  it('scoreFace scores each detected face in its frame instead of its crop', async () => {
    const result = await evaluateModel(constant, dir, {
      detector: wholeFrame,
      scoreFace: async (frame, box) => (frame.data[0] > 128 && box[2] === frame.width ? 0.9 : 0.1),
    });
    expect(Object.fromEntries(result.samples.map((s) => [s.label, s.score]))).toEqual({
      real: 0.9,
      fake: 0.1,
    });
    expect(result.samples).toHaveLength(3);
  });
});
