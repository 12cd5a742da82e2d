import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { run } from '../src/program.js';

export const RES10_PB = sharedPath('models', 'res10-tensorflow', 'opencv_face_detector_uint8.pb');
export const RES10_PBTXT = sharedPath('models', 'res10-tensorflow', 'opencv_face_detector.pbtxt');

/** Runs the CLI in-process and captures what it prints. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  try {
    const code = await run(['node', 'face-liveness', ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** `models install res10` from the shared files, with `extra` flags. */
export function installRes10(...extra: string[]) {
  return cli('models', 'install', 'res10', '--pb', RES10_PB, '--pbtxt', RES10_PBTXT, ...extra);
}

/**
 * A temporary folder whose `store` is the model store ($FACE_LIVENESS_HOME) of the enclosing
 * describe block, with res10 installed from the shared files when asked; the previous store is
 * restored after it. `dir` is set once the block's tests run.
 */
export function temporaryStore(options: { res10?: boolean } = {}): { dir: string } {
  const folder = { dir: '' };
  const previousHome = process.env.FACE_LIVENESS_HOME;
  beforeAll(async () => {
    folder.dir = await mkdtemp(join(tmpdir(), 'fl-cli-store-'));
    process.env.FACE_LIVENESS_HOME = join(folder.dir, 'store');
    if (!options.res10) return;
    const install = await installRes10();
    expect(install.code, install.err).toBe(0);
  });
  afterAll(async () => {
    if (previousHome === undefined) delete process.env.FACE_LIVENESS_HOME;
    else process.env.FACE_LIVENESS_HOME = previousHome;
    await rm(folder.dir, { recursive: true, force: true });
  });
  return folder;
}
