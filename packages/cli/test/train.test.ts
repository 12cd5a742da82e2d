import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { architectures } from '@face-liveness/livenessnet/train';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli, TINY_TRAINING } from './run-cli.js';

const DIST = join(dirname(BIN), '..', 'dist', 'main.js');
const SEED_SAMPLE = sharedPath('data/seed-sample');
const tmp = mkdtempSync(join(tmpdir(), 'fl-cli-train-'));
const env = { ...process.env, FACE_LIVENESS_HOME: join(tmp, 'store') };
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tinyRun = (model: string, ...extra: string[]) =>
  runCli(
    [
      'train',
      '-d',
      SEED_SAMPLE,
      '-dv',
      SEED_SAMPLE,
      '-m',
      model,
      ...TINY_TRAINING,
      '-ckpt',
      `${model}-ck`,
      '-ev',
      `${model}.txt`,
      '-p',
      `${model}.png`,
      '--seed',
      '1',
      ...extra,
    ],
    { cwd: tmp, env },
  );

describe('train --architecture', () => {
  it('trains a livenessnet-v2 model and records the architecture; resuming it as another is an error', async (ctx) => {
    needFiles(ctx, SEED_SAMPLE, DIST);
    const r = await tinyRun('v2', '--architecture', 'livenessnet-v2');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(readFileSync(join(tmp, 'v2', 'model.json'), 'utf8'));
    expect(json.userDefinedMetadata.architecture).toBe('livenessnet-v2');
    expect(JSON.stringify(json.modelTopology)).toMatch(/GlobalAveragePooling2D/);
    expect(existsSync(join(tmp, 'v2', 'training-state.json'))).toBe(true);

    const again = await tinyRun('v2', '--architecture', 'livenessnet-v1');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/cannot resume .*v2: it is a livenessnet-v2 model, not the livenessnet-v1/);
    expect(again.err).not.toMatch(/\n\s+at /);
  });

  it('names the valid architectures when given an unknown one', async (ctx) => {
    needFiles(ctx, DIST);
    const r = await runCli(['train', '-d', 'x', '-dv', 'y', '-m', 'z', '--architecture', 'resnet'], {
      cwd: tmp,
      env,
    });
    expect(r.code).toBe(2);
    const names = Object.keys(architectures);
    expect(names).toEqual(
      expect.arrayContaining(['livenessnet-v1', 'livenessnet-v2', 'livenessnet-v2-ycbcr']),
    );
    expect(r.err).toContain(`--architecture must be one of ${names.join(', ')}, got 'resnet'`);
  });
});

describe('train outputs', () => {
  it('go into the model directory by default, nothing into the current one', async (ctx) => {
    needFiles(ctx, SEED_SAMPLE, DIST);
    const cwd = join(tmp, 'cwd');
    mkdirSync(cwd);
    const model = join(tmp, 'beside');
    const r = await runCli(['train', '-d', SEED_SAMPLE, '-dv', SEED_SAMPLE, '-m', model, ...TINY_TRAINING], {
      cwd,
      env,
    });
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    for (const file of [
      'plot.png',
      'result.txt',
      'checkpoints/best_loss/model.json',
      'checkpoints/best_acc/model.json',
    ]) {
      expect(existsSync(join(model, file)), file).toBe(true);
    }
  });
});
