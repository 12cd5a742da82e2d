import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ModelIntegrityError, ModelStore } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { WorkerFaceDetector } from '../src/worker-detector.js';

const run = promisify(execFile);

describe('WorkerFaceDetector', () => {
  it('starts and detects in a process with 300 long arguments (about 20 KB)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fl-argv-'));
    const script = join(dir, 'detect.mjs');
    const pipeline = new URL('../dist/index.js', import.meta.url).href;
    await writeFile(
      script,
      `const { WorkerFaceDetector } = await import(${JSON.stringify(pipeline)});
const detector = await WorkerFaceDetector.create({ detector: 'blazeface' });
const faces = await detector.detect({ data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 });
await detector.close();
console.log(process.argv.length, faces.length);`,
    );
    const paths = Array.from({ length: 300 }, (_, i) =>
      join(dir, `some-rather-long-image-name-${i}-`.padEnd(60, 'x')),
    );
    const { ORT_DISABLE_TELEMETRY: _, ...env } = process.env;
    const { stdout } = await run(process.execPath, [script, ...paths], {
      env: { ...env, FACE_LIVENESS_HOME: dir },
    });
    expect(stdout.trim()).toBe('302 0');
  });

  it('fails on an installed res10 that was altered instead of picking BlazeFace', async () => {
    const store = new ModelStore(await mkdtemp(join(tmpdir(), 'fl-worker-store-')));
    await store.installBytes('res10-ssd', 'res10.onnx', new Uint8Array([1, 2, 3]), 'test');
    await appendFile(join(store.dir, 'res10.onnx'), 'x');
    const created = WorkerFaceDetector.create({ storeDir: store.dir });
    await expect(created).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(created).rejects.toThrow(/'res10-ssd' .* was altered.*models remove res10-ssd/);
  });
});
