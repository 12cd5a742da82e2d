import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test and benchmark helpers, starting with locating `../shared` (data, models and reference outputs that live beside the
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

/** Wall and CPU time (ms) of one run, as {@link bestTiming} measures it. */
export interface Timing {
  wall: number;
  cpu: number;
}

/**
 * For benchmarks on a shared machine: the best (lowest) mean wall and CPU time per run over `chunks`
 * chunks of `runs` runs each. The least disturbed chunk is the one nearest what the code costs; CPU time of
 * this process (user + system) is what one undisturbed core would give.
 */
export async function bestTiming(
  [chunks, runs]: readonly [number, number],
  fn: () => unknown,
): Promise<Timing> {
  const fastest = { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY };
  for (let c = 0; c < chunks; c++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < runs; i++) await fn();
    const cpu = process.cpuUsage(cpuStart);
    fastest.wall = Math.min(fastest.wall, (performance.now() - start) / runs);
    fastest.cpu = Math.min(fastest.cpu, (cpu.user + cpu.system) / 1000 / runs);
  }
  return fastest;
}

/** "wall (cpu)" with `digits` decimals, both times `scale`. */
export function formatTiming(t: Timing, digits: number, scale = 1): string {
  return `${(t.wall * scale).toFixed(digits)} (${(t.cpu * scale).toFixed(digits)})`;
}
