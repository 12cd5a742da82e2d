import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test helpers for locating `../shared` (data, models and reference outputs that live beside the
 * checkout, never inside it). `FACE_LIVENESS_SHARED` overrides the location.
 */
export function sharedDir(): string {
  if (process.env.FACE_LIVENESS_SHARED) return resolve(process.env.FACE_LIVENESS_SHARED);
  // dist/testing.js or src/testing.ts -> packages/core -> repo root -> ../shared
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return resolve(repoRoot, '..', 'shared');
}

/** The absolute path of `parts` under the shared folder. */
export function sharedPath(...parts: string[]): string {
  return join(sharedDir(), ...parts);
}

/**
 * Why a test that needs these files cannot run, or `undefined` when they all exist. Use with
 * vitest's `ctx.skip(reason)` / `it.skipIf` so that the skip says what is missing.
 */
export function missing(...paths: string[]): string | undefined {
  const absent = paths.filter((p) => !existsSync(p));
  return absent.length ? `needs ${absent.join(', ')} (absent here)` : undefined;
}

/** dlib's 68-point model as installed by `apt-get install libdlib-data`. */
export const DLIB_68_PATH = '/usr/share/dlib/shape_predictor_68_face_landmarks.dat';

/**
 * Skips the running vitest test, with a one-line reason, unless every path exists:
 * `it('…', (ctx) => { needFiles(ctx, sharedPath('data/nuaa')); … })`.
 */
export function needFiles(
  ctx: { skip: (condition: boolean, note?: string) => void },
  ...paths: string[]
): void {
  const why = missing(...paths);
  ctx.skip(why !== undefined, why);
}
