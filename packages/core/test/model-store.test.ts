import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, ModelNotFoundError } from '../src/errors.js';
import { ModelStore } from '../src/model-store.js';

const SHA_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

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
    expect(entry.sha256).toBe(SHA_ABC);
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
    await store.remove('other');
    expect((await store.list()).map((e) => e.name)).toEqual(['res10-ssd']);
    await expect(store.remove('other')).rejects.toBeInstanceOf(ModelNotFoundError);
  });

  it('resolves a directory model, checking each of its files', async () => {
    const store = new ModelStore(await mkdtemp(join(tmpdir(), 'fl-store-')));
    await mkdir(join(store.dir, 'livenessnet'));
    await writeFile(join(store.dir, 'livenessnet', 'model.json'), 'abc');
    const entry = {
      name: 'livenessnet',
      file: 'livenessnet',
      sha256: SHA_ABC,
      source: 's',
      installedAt: 't',
    };
    await writeFile(join(store.dir, 'livenessnet', 'weights.bin'), 'weights');
    const recorded = await store.record(entry);
    expect(Object.keys(recorded.files ?? {})).toEqual(['model.json', 'weights.bin']);
    expect(await store.resolve('livenessnet')).toBe(join(store.dir, 'livenessnet'));
    await writeFile(join(store.dir, 'livenessnet', 'weights.bin'), 'WEIGHTS');
    await expect(store.resolve('livenessnet')).rejects.toThrow(/livenessnet\/weights.bin was altered/);
    // An entry recorded before `files` existed is checked by its model.json alone.
    const manifest = JSON.parse(await readFile(join(store.dir, 'manifest.json'), 'utf8'));
    delete manifest.models.livenessnet.files;
    await writeFile(join(store.dir, 'manifest.json'), JSON.stringify(manifest));
    expect(await store.resolve('livenessnet')).toBe(join(store.dir, 'livenessnet'));
    manifest.models.livenessnet.files = { '../../elsewhere/weights.bin': SHA_ABC };
    await writeFile(join(store.dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(store.resolve('livenessnet')).rejects.toThrow(
      /elsewhere\/weights.bin lies outside the store/,
    );
  });

  it('refuses to record an entry whose file does not match it', async () => {
    const store = new ModelStore(await mkdtemp(join(tmpdir(), 'fl-store-')));
    await writeFile(join(store.dir, 'm.onnx'), 'abd');
    const entry = { name: 'm', file: 'm.onnx', sha256: SHA_ABC, source: 's', installedAt: 't' };
    await expect(store.record(entry)).rejects.toThrow(/cannot record model 'm': .*m.onnx was altered/);
    await expect(store.record({ ...entry, sha256: 'ABC' })).rejects.toThrow(
      /cannot record model "m": entry "m": sha256 must be 64 lowercase hexadecimal digits/,
    );
    await expect(store.record({ ...entry, file: '../m.onnx' })).rejects.toThrow(
      /file must be a path relative to the store directory, without "\.\."/,
    );
    expect(await store.list()).toEqual([]);
  });

  it('says the store is not a directory when FACE_LIVENESS_HOME names a file', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'fl-store-')), 'home');
    await writeFile(file, 'not a folder');
    const store = new ModelStore(file);
    const notADirectory = /model store .*home is not a directory: point FACE_LIVENESS_HOME at a directory/;
    await expect(store.installBytes('m', 'm.bin', new Uint8Array([1]), 'x')).rejects.toThrow(notADirectory);
    await expect(store.list()).rejects.toThrow(notADirectory);
    await expect(store.resolve('res10-ssd')).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('records from concurrent installs are all kept', async () => {
    const store = new ModelStore(await mkdtemp(join(tmpdir(), 'fl-store-')));
    const names = Array.from({ length: 12 }, (_, i) => `m${i}`);
    await Promise.all(names.map((n) => store.installBytes(n, `${n}.bin`, new Uint8Array([1]), 'x')));
    expect((await store.list()).map((e) => e.name).sort()).toEqual([...names].sort());
    const manifest = JSON.parse(await readFile(join(store.dir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.models)).toHaveLength(12);
  });
});
