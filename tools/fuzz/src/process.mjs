import { spawn } from 'node:child_process';

/**
 * Runs `command args` in its own process group and kills that group (the process and its ffmpeg
 * children, nothing else) when `timeoutMs` passes. Never rejects.
 */
export function run(command, args, { env, cwd, timeoutMs, maxOutput = 4_000_000 }) {
  return new Promise((resolveRun) => {
    const started = Date.now();
    const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => {
      if (stdout.length < maxOutput) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < maxOutput) stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolveRun({
        code: null,
        signal: null,
        stdout,
        stderr: `${stderr}\nspawn error: ${error.message}`,
        timedOut,
        ms: Date.now() - started,
      });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}
