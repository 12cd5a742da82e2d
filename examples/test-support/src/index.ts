import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findFfmpeg, ModelStore, sha256File } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { selectBackend } from '@face-liveness/livenessnet';
import { importKerasModel, saveLivenessModel } from '@face-liveness/livenessnet/keras';

export { CHROMIUM, launchWithFakeCamera } from './browser.js';
export { freePort, REDIS_SERVER, startRedis, waitForLine } from './processes.js';

const run = promisify(execFile);

/** The original project's Keras LivenessNet: the model the examples' tests install. */
export const SEED_KERAS_MODEL = sharedPath('models/seed-livenessnet/liveness.model');
/** A live person's clip and its replay on a phone (368x656, about 21 s each). */
export const REAL_VIDEO = sharedPath('data/replay-one-subject/videos/real.mp4');
export const REPLAY_VIDEO = sharedPath('data/replay-one-subject/videos/fake.mp4');
/** The original's sample images (a live face, a printed-photo spoof). */
export const REAL_IMAGE = sharedPath('data/seed-sample/real/0.png');
export const FAKE_IMAGE = sharedPath('data/seed-sample/fake/0.png');

// One store for every test process of a run: importing the Keras model once (a few seconds)
// instead of in each test file.
const STORE_DIR = join(tmpdir(), `face-liveness-examples-store-${process.getuid?.() ?? 0}`);

/**
 * A model store for `createLivenessEngine()`: the original LivenessNet imported from Keras under
 * the name `livenessnet`, replacing the bundled default so that the examples' verdicts do not move
 * when the default model is retrained (the detector and landmarks ship or come from Debian).
 * Built once in the system temp folder and reused; returns its folder, for `FACE_LIVENESS_HOME`.
 */
export async function exampleModelStore(): Promise<string> {
  if (existsSync(join(STORE_DIR, 'manifest.json'))) return STORE_DIR;
  const partial = `${STORE_DIR}.${process.pid}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const store = new ModelStore(partial);
  await selectBackend();
  const { model, metadata } = await importKerasModel(SEED_KERAS_MODEL);
  try {
    await saveLivenessModel(model, join(partial, 'livenessnet'), metadata);
  } finally {
    model.dispose();
  }
  await store.record({
    name: 'livenessnet',
    file: 'livenessnet',
    sha256: await sha256File(join(partial, 'livenessnet', 'model.json')),
    source: `converted from ${SEED_KERAS_MODEL}`,
    installedAt: new Date().toISOString(),
  });
  // Another test process may have won the race: keep its store and drop ours.
  await rename(partial, STORE_DIR).catch(() => rm(partial, { recursive: true, force: true }));
  return STORE_DIR;
}

/** Cuts `seconds` from the start of `video` into `dir` (re-encoded H.264 or, for `.y4m`, raw frames). */
export async function cutVideo(
  video: string,
  seconds: number,
  out: string,
  extra: string[] = [],
): Promise<string> {
  const codec = out.endsWith('.y4m') ? ['-pix_fmt', 'yuv420p'] : ['-c:v', 'libx264', '-preset', 'ultrafast'];
  await run(findFfmpeg(), [
    '-v',
    'error',
    '-y',
    '-i',
    video,
    '-t',
    String(seconds),
    '-an',
    ...extra,
    ...codec,
    out,
  ]);
  return out;
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Compiles an example (`tsc -p examples/<name>`: the packages it uses must be built) so that its
 * programs can run as separate processes, as a user runs them.
 */
export async function buildExample(name: string): Promise<string> {
  const dir = join(REPO_ROOT, 'examples', name);
  await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir]);
  return dir;
}

/** Runs `node script args` with extra environment; resolves with stdout, rejects with stderr. */
export async function runNode(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const { stdout } = await run(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 16 << 20,
  });
  return stdout;
}
