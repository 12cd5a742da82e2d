import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI as users run it (bin -> dist), so tests exercise the built program. */
export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'face-liveness.js');

/** `train` flags for a run that takes seconds: one epoch of batches of 4 on 16x16 crops. */
export const TINY_TRAINING = ['-e', '1', '-b', '4', '-w', '16', '-he', '16'];

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Sees stderr as it arrives (e.g. to time a Ctrl-C). */
  onStderr?: (textSoFar: string, child: ChildProcess) => void;
}

/** Runs `face-liveness ...args` as a child process and collects its output. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
      options.onStderr?.(err, child);
    });
    child.on('close', (code) => done({ code, out, err }));
  });
}
