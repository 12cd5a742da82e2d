import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelStore } from '@face-liveness/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './in-process.js';

function cliIn(home: string, ...args: string[]) {
  process.env.FACE_LIVENESS_HOME = home;
  return cli(...args);
}

const previousHome = process.env.FACE_LIVENESS_HOME;
afterEach(() => {
  if (previousHome === undefined) delete process.env.FACE_LIVENESS_HOME;
  else process.env.FACE_LIVENESS_HOME = previousHome;
});

describe('face-liveness models verify / remove', () => {
  it('checks every model, names the damaged one and how to reinstall it', async () => {
    const store = new ModelStore(await mkdtemp(join(tmpdir(), 'cli-verify-')));
    await store.installBytes('res10-ssd', 'res10.onnx', new Uint8Array([1]), 'converted from x.pb');
    await store.installBytes('blazeface-short', 'b.onnx', new Uint8Array([2]), 'converted');
    const ok = await cliIn(store.dir, 'models', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^ok\tres10-ssd\t.*res10.onnx\nok\tblazeface-short\t/);
    await appendFile(join(store.dir, 'b.onnx'), 'x');
    const bad = await cliIn(store.dir, 'models', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(
      /FAILED\tmodel 'blazeface-short' .*b.onnx was altered.*run `face-liveness models install blazeface`/,
    );
    expect(bad.err).toBe('face-liveness: 1 of 2 models failed verification\n');
    expect((await cliIn(store.dir, 'models', 'verify', 'res10-ssd')).code).toBe(0);
    expect((await cliIn(store.dir, 'models', 'remove', 'blazeface-short')).code).toBe(0);
    expect((await cliIn(store.dir, 'models', 'verify')).code).toBe(0);
  });

  it('prints a malformed manifest plainly, and the remove it suggests works', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-verify-'));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: 1, models: { x: 'x.onnx' } }));
    for (const command of ['list', 'verify']) {
      const result = await cliIn(dir, 'models', command);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/manifest.json is invalid: entry "x": .*`face-liveness models remove x`/);
      expect(result.err).not.toMatch(/\n\s+at /);
    }
    expect((await cliIn(dir, 'models', 'remove', 'x')).code).toBe(0);
    expect((await cliIn(dir, 'models', 'list')).out).toMatch(/no models installed/);
  });

  it('says FACE_LIVENESS_HOME names a file instead of crashing with EEXIST', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'cli-verify-')), 'home');
    await writeFile(file, '');
    const result = await cliIn(file, 'models', 'install', 'blazeface');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /model store .*home is not a directory: point FACE_LIVENESS_HOME at a directory/,
    );
  });
});
