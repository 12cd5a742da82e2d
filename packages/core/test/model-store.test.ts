import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelNotFoundError } from '../src/errors.js';
import { ModelStore } from '../src/model-store.js';

describe('ModelStore', () => {
  it('installs, lists and resolves models; explicit paths win', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fl-store-'));
    const store = new ModelStore(join(dir, 'store'));
    await expect(
      store.resolve('res10-ssd', undefined, 'run: face-liveness models install res10'),
    ).rejects.toThrow(/'res10-ssd' is not installed .*models install res10/);
    await expect(store.resolve('x')).rejects.toBeInstanceOf(ModelNotFoundError);
    const source = join(dir, 'm.onnx');
    await writeFile(source, 'abc');
    const entry = await store.installFile('res10-ssd', source, 'converted from test');
    expect(entry.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await store.resolve('res10-ssd')).toBe(join(dir, 'store', 'm.onnx'));
    expect(await store.resolve('res10-ssd', source)).toBe(source);
    await expect(store.resolve('res10-ssd', join(dir, 'nope.onnx'))).rejects.toThrow(
      /model file not found: .*nope.onnx/,
    );
    await expect(store.resolve('packaged', undefined, 'reinstall', source)).resolves.toBe(source);
    await expect(store.resolve('packaged', undefined, 'reinstall', join(dir, 'gone.bin'))).rejects.toThrow(
      /'packaged' is not installed .*; reinstall/,
    );
    await store.installBytes('other', 'o.bin', new Uint8Array([1]), 'bytes');
    expect((await store.list()).map((e) => e.name).sort()).toEqual(['other', 'res10-ssd']);
  });

  it('says how to recover from a corrupt manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fl-store-'));
    await writeFile(join(dir, 'manifest.json'), '{oops');
    await expect(new ModelStore(dir).list()).rejects.toThrow(/manifest.json is unreadable.*delete it/);
  });
});
