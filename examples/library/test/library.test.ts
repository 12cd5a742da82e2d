import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import {
  buildExample,
  cutVideo,
  exampleModelStore,
  FAKE_IMAGE,
  REAL_IMAGE,
  REAL_VIDEO,
  runNode,
  SEED_KERAS_MODEL,
} from '@face-liveness/example-test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MINIFASNET = sharedPath('models/peers/minifasnet/2.7_80x80_MiniFASNetV2.onnx');

describe('examples/library', () => {
  let dir: string;
  let work: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await buildExample('library');
    work = await mkdtemp(join(tmpdir(), 'example-library-'));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function prepare() {
    env ??= { FACE_LIVENESS_HOME: await exampleModelStore() };
    return env;
  }

  it('check.js prints a verdict for the image and for each face of the video', async (ctx) => {
    needFiles(ctx, SEED_KERAS_MODEL, REAL_IMAGE, REAL_VIDEO);
    const clip = await cutVideo(REAL_VIDEO, 2, join(work, 'real-2s.mp4'));
    const out = await runNode(join(dir, 'dist/check.js'), [REAL_IMAGE, clip], await prepare());
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^.*0\.png: face 1 (live|spoof) \(P\(live\) 0\.\d{3}\)$/);
    // The original's model calls its own sample a live face.
    expect(lines[0]).toContain(' live ');
    expect(lines[1]).toMatch(/real-2s\.mp4: face 1 (live|spoof|undecided) \(.*; \d+ blinks\)$/);
  });

  it('check.js exits 2 with its usage when arguments are missing', async () => {
    await expect(runNode(join(dir, 'dist/check.js'), [])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage:'),
    });
  });

  it('custom-classifier.js runs MiniFASNet through the engine on a live and a spoof image', async (ctx) => {
    needFiles(ctx, MINIFASNET, REAL_IMAGE, FAKE_IMAGE);
    const script = join(dir, 'dist/custom-classifier.js');
    const env = await prepare();
    const live = await runNode(script, [MINIFASNET, REAL_IMAGE], env);
    const spoof = await runNode(script, [MINIFASNET, FAKE_IMAGE], env);
    const score = (out: string) => Number(/P\(live\) (\d\.\d+)/.exec(out)?.[1]);
    expect(live).toMatch(/^frame 0: face 1 (live|spoof) \(P\(live\) \d\.\d{3}\)$/m);
    expect(score(live)).toBeGreaterThan(score(spoof));
  });
});
