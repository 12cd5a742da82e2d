import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs `crash` in a child process after it loaded the bundled classifier on the wasm backend. */
async function crashAfterLoad(
  crash: string,
): Promise<{ code: number | null; stderr: string; script: string }> {
  const script = join(await mkdtemp(join(tmpdir(), 'fl-listeners-')), 'crash.mjs');
  const livenessnet = new URL('../dist/index.js', import.meta.url).href;
  await writeFile(
    script,
    `const { BUNDLED_MODEL_DIR, LivenessClassifier } = await import(${JSON.stringify(livenessnet)});
await LivenessClassifier.load(BUNDLED_MODEL_DIR, { backend: 'wasm' });
${crash}\n`,
  );
  return new Promise((done) => {
    execFile(process.execPath, [script], (error, _stdout, stderr) =>
      done({ code: error ? (error.code as number) : 0, stderr, script }),
    );
  });
}

describe('the wasm backend leaves uncaught errors to the process', () => {
  it('an exception thrown later reports its own cause and stack', async () => {
    const { code, stderr, script } = await crashAfterLoad(
      "setTimeout(function boomTimer() { throw new Error('boom'); }, 1);",
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^file://${script}:3\\n`));
    expect(stderr).toMatch(/Error: boom\n\s+at (Timeout\.)?boomTimer .*crash\.mjs:3/);
    expect(stderr).not.toMatch(/tfjs|tf-backend-wasm/);
  });

  it('an unhandled rejection does too', async () => {
    const { code, stderr } = await crashAfterLoad("Promise.reject(new Error('rejected boom'));");
    expect(code).toBe(1);
    expect(stderr).toMatch(/Error: rejected boom\n\s+at .*crash\.mjs:3/);
    expect(stderr).not.toMatch(/tfjs|tf-backend-wasm/);
  });
});
