import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelStore } from '@face-liveness/core';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorChecks } from '../src/commands/doctor.js';
import { runCli } from './run-cli.js';

const store = mkdtempSync(join(tmpdir(), 'fl-doctor-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe('face-liveness doctor', () => {
  it('reports an empty store, the shipped models, and res10 as optional', async () => {
    const checks = new Map((await doctorChecks(new ModelStore(store))).map((c) => [c.what, c]));
    expect(checks.get('model store')).toMatchObject({ ok: true, detail: `${store}: empty` });
    expect(checks.get('res10 SSD')).toMatchObject({ ok: false, needed: false });
    expect(checks.get('res10 SSD')?.fix).toMatch(/models install res10/);
    expect(checks.get('BlazeFace')).toMatchObject({ ok: true, needed: true });
    expect(checks.get('LivenessNet')).toMatchObject({ ok: true, needed: true });
  });

  it('exits 1 and names the fix when a needed part is missing', async () => {
    const env = { ...process.env, FACE_LIVENESS_HOME: store, FFMPEG_PATH: join(store, 'no-ffmpeg') };
    const { code, out, err } = await runCli(['doctor'], { env });
    expect(code).toBe(1);
    expect(out).toMatch(/^MISSING\s+ffmpeg .*\n\s+fix: apt-get install -y ffmpeg/m);
    expect(err).toMatch(/the default job cannot run: fix ffmpeg/);
  });

  it('fails the store check when an installed model no longer matches its sha256', async () => {
    const source = join(mkdtempSync(join(tmpdir(), 'fl-doctor-src-')), 'model.bin');
    writeFileSync(source, 'original');
    const models = new ModelStore(store);
    await models.installFile('res10-ssd', source);
    writeFileSync(join(store, 'model.bin'), 'altered');
    const checks = await doctorChecks(models);
    const check = checks.find((c) => c.what === 'model store');
    expect(check).toMatchObject({ ok: false, needed: true });
  });
});
