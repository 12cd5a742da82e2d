import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { ModelStore } from '../src/model-store.js';

const SHA = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const good = { name: 'res10-ssd', file: 'm.onnx', sha256: SHA, source: 's', installedAt: 't' };

async function storeWith(manifest: unknown): Promise<ModelStore> {
  const dir = await mkdtemp(join(tmpdir(), 'fl-manifest-'));
  await writeFile(
    join(dir, 'manifest.json'),
    typeof manifest === 'string' ? manifest : JSON.stringify(manifest),
  );
  await writeFile(join(dir, 'm.onnx'), 'abc');
  return new ModelStore(dir);
}

/** The error every read of the store gives, after checking that list and resolve agree. */
async function failure(manifest: unknown): Promise<string> {
  const store = await storeWith(manifest);
  const error = await store.list().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  await expect(store.resolve('res10-ssd')).rejects.toThrow((error as Error).message);
  const message = (error as Error).message;
  expect(message).toContain(join(store.dir, 'manifest.json'));
  return message;
}

describe('the model store manifest', () => {
  it('names the bad entry, the field and the fix', async () => {
    expect(await failure({ version: 1, models: { 'res10-ssd': 'm.onnx' } })).toMatch(
      /invalid: entry "res10-ssd": the entry must be an object with name, file, sha256, source and installedAt; fix: run `face-liveness models remove res10-ssd` \(then reinstall/,
    );
    const noFile = await failure({ version: 1, models: { x: { name: 'x', source: 's', installedAt: 't' } } });
    expect(noFile).toMatch(/entry "x": file is missing: it must be a path relative to the store directory/);
    expect(noFile).toMatch(/entry "x": sha256 is missing: it must be 64 lowercase hexadecimal digits/);
    expect(await failure({ version: 1, models: { other: good } })).toMatch(
      /entry "other": name must be "other", its key \(got "res10-ssd"\)/,
    );
  });

  it('refuses files outside the store', async () => {
    for (const file of ['../../../elsewhere/model.onnx', '/etc/passwd', 'a/../../x', 'C:\\model.onnx']) {
      expect(await failure({ version: 1, models: { 'res10-ssd': { ...good, file } } })).toMatch(
        /entry "res10-ssd": file must be a path relative to the store directory, without "\.\."/,
      );
    }
  });

  it('says to delete a manifest it cannot read at all', async () => {
    expect(await failure({ version: 1, models: null })).toMatch(
      /invalid: models must be an object of entries by name.*fix: delete it and reinstall the models/,
    );
    expect(await failure({ version: 2, models: {} })).toMatch(/version must be 1 .*delete it/);
    expect(await failure('{oops')).toMatch(/manifest.json is not JSON .*fix: delete it and reinstall/);
    expect(await failure('null')).toMatch(/the manifest must be an object with "version": 1 and "models"/);
  });

  it('lets a bad entry be removed or reinstalled', async () => {
    const store = await storeWith({ version: 1, models: { 'res10-ssd': 'm.onnx', bad: { name: 'bad' } } });
    await store.record(good);
    await expect(store.list()).rejects.toThrow(/entry "bad"/);
    await store.remove('bad');
    expect(await store.list()).toEqual([good]);
  });
});
