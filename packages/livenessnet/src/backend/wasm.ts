import { createRequire } from 'node:module';
import path from 'node:path';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { env } from '@tensorflow/tfjs-core';

let pathsSet = false;

/** Folder holding tfjs-backend-wasm's .wasm binaries (the package's dist/), with a trailing separator. */
export function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  return (
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep
  );
}

/**
 * Points tfjs-backend-wasm at its binaries on disk (in Node it would otherwise look next to the bundle, which
 * fails under bundlers and vitest). Idempotent.
 */
export function prepareWasm(): void {
  if (pathsSet) return;
  setWasmPaths(wasmBinaryFolder());
  pathsSet = true;
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `init` (which may start the wasm backend) and then removes the process listeners added
 * meanwhile. tfjs-backend-wasm's emscripten code adds listeners that re-throw any uncaught
 * exception or rejection from its own frame and exit with code 7, so a crash anywhere in the
 * process would be reported as tfjs's; its own cleanup of them only runs on dispose.
 */
export async function withoutAddedProcessListeners<T>(init: () => Promise<T>): Promise<T> {
  const emitter: NodeJS.EventEmitter = process;
  const before = PROCESS_EVENTS.map((event) => [event, new Set(emitter.listeners(event))] as const);
  try {
    return await init();
  } finally {
    for (const [event, kept] of before) {
      for (const listener of emitter.listeners(event)) {
        if (!kept.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

/** "SIMD, 1 thread": what the initialised wasm backend runs with. */
export function wasmFeatures(): string {
  let simd = 'SIMD unknown';
  try {
    simd = env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
  } catch {
    // The flag is evaluated while the backend initialises; before that it cannot be read synchronously.
  }
  const threads = getThreadsCount();
  return `${simd}, ${threads} thread${threads === 1 ? '' : 's'}`;
}
