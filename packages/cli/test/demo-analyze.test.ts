import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findFfmpeg, probeVideo } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, type CliOptions, type CliResult, runCli } from './run-cli.js';

const REAL = sharedPath('data/replay-one-subject/videos/real.mp4');
const SEED_MODEL = sharedPath('models/seed-livenessnet/liveness.model');
const IMAGE = sharedPath('data/silentface-samples');
const tmp = mkdtempSync(join(tmpdir(), 'fl-cli-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the built CLI; `onErr` sees stderr as it comes (to time a Ctrl-C). */
function cli(args: string[], onErr?: CliOptions['onStderr']): Promise<CliResult> {
  return runCli(args, { onStderr: onErr });
}

function needs(ctx: Parameters<typeof needFiles>[0]) {
  needFiles(ctx, REAL, SEED_MODEL, DLIB_68_PATH, join(dirname(BIN), '..', 'dist', 'main.js'));
}

describe('face-liveness demo', () => {
  it('writes the annotated video of a file with the input’s frame count and prints the verdicts', async (ctx) => {
    needs(ctx);
    const clip = join(tmp, 'clip.mp4');
    execFileSync(findFfmpeg(), ['-v', 'error', '-y', '-i', REAL, '-frames:v', '45', '-c:v', 'libx264', clip]);
    const out = join(tmp, 'demo.mp4');
    const r = await cli([
      'demo',
      '-v',
      clip,
      '-o',
      out,
      '-m',
      SEED_MODEL,
      '-w',
      '32',
      '-he',
      '32',
      '-t',
      '60',
      '--json',
    ]);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out.trim());
    expect(summary).toMatchObject({ input: clip, frames: 45, fps: 30 });
    expect(summary.tracks[0]).toHaveProperty('verdict');
    expect(await probeVideo(out)).toMatchObject({ codec: 'h264', frameCount: 45, fps: 30 });
  });

  it('stops on Ctrl-C and leaves a valid video', async (ctx) => {
    needs(ctx);
    const out = join(tmp, 'interrupted.mp4');
    let sent = false;
    const r = await cli(['demo', '-v', REAL, '-o', out, '-m', SEED_MODEL], (err, child) => {
      // Progress lines come once a second: interrupt after the first.
      if (!sent && /frame \d+/.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/stopped by Ctrl-C/);
    const info = await probeVideo(out);
    expect(info.codec).toBe('h264');
    expect(info.frameCount).toBeGreaterThan(0);
    expect(info.frameCount).toBeLessThan(621);
  });

  it('refuses a missing camera, a missing model and an output that is the input, naming them', async (ctx) => {
    needs(ctx);
    const camera = await cli(['demo', '-v', '/dev/video77', '-m', SEED_MODEL]);
    expect(camera).toMatchObject({ code: 1 });
    expect(camera.err).toMatch(/camera \/dev\/video77 not found/);
    const model = await cli(['demo', '-v', REAL, '-m', join(tmp, 'absent-model')]);
    expect(model.code).toBe(1);
    expect(model.err).toMatch(/model file not found: .*absent-model/);
    const same = await cli(['demo', '-v', REAL, '-o', REAL, '-m', SEED_MODEL]);
    expect(same.code).toBe(1);
    expect(same.err).toMatch(/is the input video/);
    expect(existsSync(REAL)).toBe(true);
  });
});

describe('face-liveness analyze', () => {
  it('prints one JSON line per input and writes the per-frame report', async (ctx) => {
    needs(ctx);
    needFiles(ctx, IMAGE);
    const clip = join(tmp, 'clip20.mp4');
    execFileSync(findFfmpeg(), ['-v', 'error', '-y', '-i', REAL, '-frames:v', '20', '-c:v', 'libx264', clip]);
    const image = join(IMAGE, 'real', 'image_T1.jpg');
    const report = join(tmp, 'report.json');
    const missingInput = join(tmp, 'absent.mp4');
    const r = await cli([
      'analyze',
      clip,
      image,
      missingInput,
      '-m',
      SEED_MODEL,
      '--json',
      '--report',
      report,
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 of 3 inputs could not be analysed/);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ input: clip, kind: 'video', frames: 20, fps: 30 });
    expect(lines[0].tracks[0]).toEqual(
      expect.objectContaining({ id: 1, frames: 20, blinks: expect.any(Number), verdict: expect.any(String) }),
    );
    expect(lines[1]).toMatchObject({ input: image, kind: 'image', frames: 1 });
    expect(lines[2]).toMatchObject({ input: missingInput, error: expect.stringMatching(/no such file/) });
    const full = JSON.parse(readFileSync(report, 'utf8'));
    expect(full.inputs).toHaveLength(3);
    expect(full.inputs[0].frames).toHaveLength(20);
    expect(full.inputs[0].frames[5].faces[0].landmarks).toHaveLength(68);
    expect(full.inputs[2].error).toMatch(/no such file/);
  });

  it('--orientation: the input turned as asked, the rotation and the skipped frames in the summary', async (ctx) => {
    needs(ctx);
    const turned = join(tmp, 'turned.jpg');
    await sharp(join(IMAGE, 'real', 'image_T1.jpg'))
      .rotate(90)
      .toFile(turned);
    const json = await cli(['analyze', turned, '--orientation', '270', '--no-landmarks', '--json']);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ rotation: 270, skippedFrames: 0, skipReasons: {} });
    expect(JSON.parse(json.out).tracks).toHaveLength(1);
    const text = await cli(['analyze', turned, '--orientation', '270', '--no-landmarks']);
    expect(text.out).toMatch(/turned\.jpg: live, 1 frame, turned 270° clockwise/);
    const bad = await cli(['analyze', turned, '--orientation', '45']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--orientation must be one of auto, 0, 90, 180, 270, got '45'/);
  });
});
