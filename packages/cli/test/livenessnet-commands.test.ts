import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { MiniFasNetClassifier } from '@face-liveness/minifasnet';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult, runCli, TINY_TRAINING } from './run-cli.js';

const DIST = join(dirname(BIN), '..', 'dist', 'main.js');
const KERAS = sharedPath('models/seed-livenessnet/liveness.model');
const SEED_SAMPLE = sharedPath('data/seed-sample');
const MSU = sharedPath('data/msu-mfsd-train');
const VIDEO = sharedPath('data/replay-one-subject/videos/real.mp4');
const tmp = mkdtempSync(join(tmpdir(), 'fl-cli-liveness-'));
// an empty store: nothing installed unless a test installs it
const env = { ...process.env, FACE_LIVENESS_HOME: join(tmp, 'store') };
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], cwd = tmp, extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd, env: { ...env, ...extraEnv } });
}

describe('models import-keras', () => {
  it('imports the original model, refuses to overwrite without --force, installs into the store', async (ctx) => {
    needFiles(ctx, KERAS, DIST);
    const out = join(tmp, 'imported');
    const first = await cli(['models', 'import-keras', KERAS, '--out', out]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/livenessnet-v1, 32x32 BGR, classes fake,real/);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    const again = await cli(['models', 'import-keras', KERAS, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/imported exists; pass --force/);
    expect((await cli(['models', 'import-keras', KERAS, '--out', out, '--force'])).code).toBe(0);
    const installed = await cli(['models', 'import-keras', KERAS, '--install']);
    expect(installed.code).toBe(0);
    expect((await cli(['models', 'list'])).out).toMatch(/^livenessnet\t/m);
  });

  it('rejects a file that is not a Keras model, without a stack trace', async (ctx) => {
    needFiles(ctx, DIST);
    const r = await cli(['models', 'import-keras', BIN, '--out', join(tmp, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/face-liveness: .*face-liveness\.js is not an HDF5 file/);
    expect(r.err).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('classify and evaluate', () => {
  it('classify --json prints P(live) per image or per detected face; -w/-he must match the model', async (ctx) => {
    needFiles(ctx, KERAS, SEED_SAMPLE, MSU, DIST);
    const image = join(SEED_SAMPLE, 'real', '0.png');
    const r = await cli(['classify', '-m', KERAS, '--json', image]);
    expect(r.code).toBe(0);
    const row = JSON.parse(r.out);
    expect(row.image).toBe(image);
    // numpy-reference.jsonl: 0.928707
    expect(row.score).toBeCloseTo(0.928707, 4);
    const frame = join(MSU, 'real', 'real_client002_android_SD_scene01.jpg');
    const detected = await cli(['classify', '-m', KERAS, '--detect', '--json', frame]);
    expect(detected.code).toBe(0);
    const faces = JSON.parse(detected.out).faces;
    expect(faces).toHaveLength(1);
    expect(faces[0].box).toHaveLength(4);
    expect(faces[0].score).toBeGreaterThanOrEqual(0);
    const wrong = await cli(['classify', '-m', KERAS, '-w', '64', '-he', '64', image]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/takes 32x32 inputs, not the 64x64 asked for/);
  });

  it('evaluate -dv prints the report and metrics, writes scores and the ROC plot; a missing model is a clear error', async (ctx) => {
    needFiles(ctx, KERAS, MSU, DIST);
    const empty = { FACE_LIVENESS_HOME: join(tmp, 'empty-store') };
    const bundled = await cli(['evaluate', '-dv', MSU, '--json', '--no-roc'], tmp, empty);
    expect(bundled.code).toBe(0);
    expect(JSON.parse(bundled.out).images).toBe(60);
    const none = await cli(['evaluate', '-dv', MSU, '-m', join(tmp, 'no-model')], tmp, empty);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/model file not found: .*no-model/);
    const scores = join(tmp, 'scores.jsonl');
    const r = await cli([
      'evaluate',
      '-dv',
      MSU,
      '-m',
      KERAS,
      '--scores',
      scores,
      '--roc',
      'roc.png',
      '-ev',
      'ev.txt',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/weighted avg/);
    expect(r.out).toMatch(/APCER \(worst: \w+\) [\d.]+%/);
    const lines = readFileSync(scores, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(60);
    expect(Object.keys(lines[0]).sort()).toEqual(['image', 'label', 'score']);
    expect(existsSync(join(tmp, 'roc.png'))).toBe(true);
    expect(readFileSync(join(tmp, 'ev.txt'), 'utf8')).toMatch(/ACER/);
    const json = await cli(['evaluate', '-dv', MSU, '-m', KERAS, '--json', '--no-roc']);
    const metrics = JSON.parse(json.out).metrics;
    expect(Object.keys(metrics.apcerPerType).sort()).toEqual(['ipad_video', 'iphone_video', 'printed_photo']);
  });

  it('classify -m takes classifier names and comma-separated ensembles, scored as the pipeline does', async (ctx) => {
    needFiles(ctx, SEED_SAMPLE, MSU, DIST);
    const crops = [join(SEED_SAMPLE, 'real', '0.png'), join(SEED_SAMPLE, 'fake', '0.png')];
    const scores = async (model: string, ...args: string[]) => {
      const r = await cli(['classify', '-m', model, '--json', ...args]);
      expect(r.code, r.err).toBe(0);
      return r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    };
    const [livenessnet, minifasnet, both] = await Promise.all(
      ['livenessnet', 'minifasnet', 'livenessnet,minifasnet'].map((m) => scores(m, ...crops)),
    );
    both.forEach((row, i) =>
      expect(row.score).toBeCloseTo((livenessnet[i].score + minifasnet[i].score) / 2, 6),
    );
    // With --detect, MiniFASNet frames the face itself (classifyFace), as in analyze.
    const frame = join(MSU, 'real', 'real_client002_android_SD_scene01.jpg');
    const [{ faces }] = await scores('minifasnet-v2', '--detect', frame);
    const classifier = await MiniFasNetClassifier.load('minifasnet-v2');
    try {
      const own = await classifier.classifyFace(await readImage(frame), faces[0].box);
      expect(faces[0].score).toBeCloseTo(own.score, 2);
    } finally {
      await classifier.close();
    }
  });

  it('evaluate -m minifasnet --detect: the ROC plot beside --scores, nothing in the current folder; tiny crops refused', async (ctx) => {
    needFiles(ctx, MSU, DIST);
    const set = join(tmp, 'small-set');
    for (const label of ['real', 'fake']) {
      await mkdir(join(set, label), { recursive: true });
      for (const f of readdirSync(join(MSU, label)).slice(0, 3))
        symlinkSync(join(MSU, label, f), join(set, label, f));
    }
    const cwd = join(tmp, 'cwd');
    await mkdir(cwd);
    const scores = join(tmp, 'minifasnet.jsonl');
    const r = await cli(['evaluate', '-dv', set, '-m', 'minifasnet', '--detect', '--scores', scores], cwd);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`ROC plot: ${join(tmp, 'minifasnet.roc.png')}`);
    expect(existsSync(join(tmp, 'minifasnet.roc.png'))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    // Without --detect each image is a crop: one too small to hold a face is left out, named.
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toFile(join(set, 'real', 'tiny.png'));
    const crops = await cli(['evaluate', '-dv', set, '-m', 'minifasnet', '--json'], cwd);
    expect(crops.err).toMatch(/skipped .*tiny\.png: .*8x8 is too small/);
    expect(JSON.parse(crops.out).images).toBe(6);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('evaluates an ensemble directory with frame_size.txt', async (ctx) => {
    needFiles(ctx, KERAS, SEED_SAMPLE, DIST);
    const ensemble = join(tmp, 'ensemble');
    await mkdir(ensemble);
    symlinkSync(KERAS, join(ensemble, 'a.model'));
    writeFileSync(join(ensemble, 'frame_size.txt'), 'a.model 32 32\n');
    const r = await cli(['evaluate', '-dv', SEED_SAMPLE, '-m', ensemble, '--json', '--no-roc']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).report.support).toBe(9);
  });
});

describe('train and extract', () => {
  it('train runs with the original flags, writes model, checkpoints, report and plot', async (ctx) => {
    needFiles(ctx, SEED_SAMPLE, DIST);
    const r = await cli(
      [
        'train',
        '-d',
        SEED_SAMPLE,
        '-dv',
        SEED_SAMPLE,
        '-m',
        'model',
        ...TINY_TRAINING,
        '-ckpt',
        'ck',
        '-ev',
        'res.txt',
        '-p',
        'p.png',
        '--seed',
        '3',
      ],
      tmp,
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/epoch 1\/1 - .* loss: [\d.]+ - acc: [\d.]+ - val_loss/);
    for (const path of [
      'model/model.json',
      'ck/best_loss/model.json',
      'ck/best_acc/model.json',
      'res.txt',
      'p.png',
    ]) {
      expect(existsSync(join(tmp, path))).toBe(true);
    }
  });

  it('train --detect crops the faces of full frames', async (ctx) => {
    needFiles(ctx, MSU, DIST);
    const frames = join(tmp, 'frames');
    for (const [label, file] of [
      ['real', 'real_client002_android_SD_scene01.jpg'],
      ['real', 'real_client003_android_SD_scene01.jpg'],
      ['fake', 'attack_client002_android_SD_printed_photo_scene01.jpg'],
      ['fake', 'attack_client003_android_SD_ipad_video_scene01.jpg'],
    ]) {
      await mkdir(join(frames, label), { recursive: true });
      symlinkSync(join(MSU, label, file), join(frames, label, file));
    }
    const r = await cli(
      ['train', '-d', frames, '-dv', frames, '-m', 'detect-model', '--detect', ...TINY_TRAINING],
      tmp,
    );
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/skipped/);
    expect(readFileSync(join(tmp, 'detect-model', 'model.json'), 'utf8')).toMatch(
      /frames \(2 real, 2 fake\)/,
    );
  });

  it('extract writes face crops of every n-th video frame and never overwrites', async (ctx) => {
    needFiles(ctx, VIDEO, DIST);
    const out = join(tmp, 'crops');
    const r = await cli(['extract', VIDEO, '--every', '200', '-o', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['real_0.png', 'real_200.png', 'real_400.png', 'real_600.png']);
    const again = await cli(['extract', VIDEO, '--every', '200', '-o', out, '--quiet']);
    expect(again.out).toMatch(/0 crops written, 4 already there/);
  });
});
