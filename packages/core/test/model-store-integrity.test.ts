import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ModelIntegrityError } from '../src/model-errors.js';
import { ModelStore } from '../src/model-store.js';
import { fileIdentity } from '../src/model-verify.js';

async function installed(): Promise<{ store: ModelStore; file: string; fallback: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'fl-integrity-'));
  const fallback = join(dir, 'packaged.onnx');
  await writeFile(fallback, 'packaged');
  const store = new ModelStore(join(dir, 'store'));
  await store.installBytes(
    'res10-ssd',
    'm.onnx',
    new TextEncoder().encode('model bytes'),
    'converted from x.pb',
  );
  return { store, file: join(store.dir, 'm.onnx'), fallback };
}

const HINT = 'run `face-liveness models install res10 ...`';

describe('installed models are used only intact', () => {
  it('refuses a model with bytes appended, with the fix', async () => {
    const { store, file, fallback } = await installed();
    await appendFile(file, 'x');
    const error = await store.resolve('res10-ssd', undefined, HINT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect((error as Error).message).toMatch(
      /model 'res10-ssd' in .* cannot be used: .*m.onnx was altered: its sha256 is [0-9a-f]{64}, it was installed with [0-9a-f]{64}\. Reinstall it \(it came from: converted from x.pb\): run `face-liveness models install res10 \.\.\.`, or forget it with `face-liveness models remove res10-ssd`/,
    );
    // A packaged copy does not stand in for a damaged installed one.
    await expect(store.resolve('res10-ssd', undefined, HINT, fallback)).rejects.toBeInstanceOf(
      ModelIntegrityError,
    );
  });

  it('sees a same-size change whose modification time was put back', async () => {
    const { store, file } = await installed();
    expect(await store.resolve('res10-ssd')).toBe(file);
    const before = await stat(file);
    await writeFile(file, 'MODEL BYTES');
    await utimes(file, before.atime, before.mtime);
    await expect(store.resolve('res10-ssd')).rejects.toThrow(/was altered/);
  });

  it('says a deleted model is missing instead of falling back', async () => {
    const { store, file, fallback } = await installed();
    await rm(file);
    await expect(store.resolve('res10-ssd', undefined, HINT, fallback)).rejects.toThrow(
      /'res10-ssd' .* cannot be used: its file .*m.onnx is missing\. Reinstall it/,
    );
  });

  it('refuses a symlink leading out of the store', async () => {
    const { store, file, fallback } = await installed();
    await rm(file);
    await symlink(fallback, file);
    await expect(store.resolve('res10-ssd')).rejects.toThrow(/m.onnx lies outside the store/);
    // A directory model whose model.json leads out.
    await mkdir(join(store.dir, 'net'));
    await writeFile(join(store.dir, 'net', 'model.json'), 'packaged');
    const sha256 = createHash('sha256').update('packaged').digest('hex');
    await store.record({ name: 'net', file: 'net', sha256, source: 's', installedAt: 't' });
    await rm(join(store.dir, 'net', 'model.json'));
    await symlink(fallback, join(store.dir, 'net', 'model.json'));
    await expect(store.resolve('net')).rejects.toThrow(/net\/model.json lies outside the store/);
  });

  it('hashes a file once per change: the verified record is trusted until the file changes', async () => {
    const { store, file } = await installed();
    const record = JSON.parse(await readFile(join(store.dir, 'verified.json'), 'utf8'));
    expect(record.files['m.onnx'].identity).toBe(await fileIdentity(file));
    // Forge the record for changed bytes: a new process trusts it without hashing...
    await writeFile(file, 'other bytes');
    record.files['m.onnx'].identity = await fileIdentity(file);
    await writeFile(join(store.dir, 'verified.json'), JSON.stringify(record));
    await expect(new ModelStore(store.dir).resolve('res10-ssd')).resolves.toBe(file);
    // ...and `verify` hashes everything regardless.
    const [check] = await new ModelStore(store.dir).verify();
    expect(check?.problem).toMatch(/m.onnx was altered/);
  });

  it('verify reports every model, and unknown names', async () => {
    const { store, file } = await installed();
    await store.installBytes('ok', 'ok.bin', new Uint8Array([1]), 'bytes');
    await rm(file);
    const checks = await store.verify(undefined, (name) => `install ${name} again`);
    expect(checks.map((c) => [c.name, c.problem ?? 'ok'])).toEqual([
      ['res10-ssd', expect.stringMatching(/m.onnx is missing.*: install res10-ssd again/)],
      ['ok', 'ok'],
    ]);
    await expect(store.verify(['nope'])).rejects.toThrow(/not installed in .*: nope/);
  });

  it('keeps every record when two processes install at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fl-race-'));
    const core = new URL('../dist/index.js', import.meta.url).href;
    const script = (tag: string) =>
      `const { ModelStore } = await import(${JSON.stringify(core)}); const s = new ModelStore(${JSON.stringify(dir)});` +
      `await Promise.all(Array.from({ length: 8 }, (_, i) => s.installBytes('${tag}' + i, '${tag}' + i + '.bin', new Uint8Array([i]), 'x')));`;
    const run = promisify(execFile);
    await Promise.all(
      ['a', 'b'].map((tag) => run(process.execPath, ['--input-type=module', '-e', script(tag)])),
    );
    expect((await new ModelStore(dir).list()).length).toBe(16);
  });
});
