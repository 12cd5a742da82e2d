import { SingleBar } from 'cli-progress';

/** Progress of a batch on stderr, and the one way to print while it shows. */
export interface BatchProgress {
  /** One more input done. */
  tick(failed: boolean): void;
  /** Writes a line to stdout, or with `toStderr` to stderr, without tearing the bar. */
  print(line: string, toStderr?: boolean): void;
  stop(): void;
}

const LINE_EVERY_MS = 5000;

/**
 * A bar on a terminal (cli-progress), a line every 5 s when stderr is a file or a pipe (logs, CI),
 * nothing with `quiet` or for a single input.
 */
export function batchProgress(total: number, noun: string, quiet?: boolean): BatchProgress {
  const shown = !quiet && total > 1;
  let done = 0;
  let failed = 0;
  let lastLine = Date.now();
  const bar =
    shown && process.stderr.isTTY
      ? new SingleBar({
          format: ` {bar} {value}/{total} ${noun} | {failed} failed | ETA {eta_formatted}`,
          hideCursor: true,
          // The bar redraws itself after a line printed over it.
          forceRedraw: true,
        })
      : undefined;
  bar?.start(total, 0, { failed: 0 });
  return {
    tick(isFailure) {
      done++;
      if (isFailure) failed++;
      bar?.update(done, { failed });
      if (shown && !bar && Date.now() - lastLine >= LINE_EVERY_MS) {
        lastLine = Date.now();
        process.stderr.write(`${done} of ${total} ${noun} done, ${failed} failed\n`);
      }
    },
    print(line, toStderr) {
      const stream = toStderr ? process.stderr : process.stdout;
      if (bar && stream.isTTY) process.stderr.write('\r\x1b[2K');
      stream.write(`${line}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** A {@link batchProgress} fed by a library's `onProgress(done, total)`; it starts at the first call. */
export interface ProgressCallback extends Omit<BatchProgress, 'tick'> {
  onProgress(done: number, total: number): void;
  /** The next item counted is a failure (an image left out). */
  fail(): void;
}

export function progressCallback(noun: string, quiet?: boolean): ProgressCallback {
  let progress: BatchProgress | undefined;
  let counted = 0;
  let failures = 0;
  return {
    onProgress(done, total) {
      progress ??= batchProgress(total, noun, quiet);
      for (; counted < done; counted++) {
        progress.tick(failures > 0);
        failures = Math.max(0, failures - 1);
      }
    },
    fail() {
      failures++;
    },
    print(line, toStderr) {
      if (progress) progress.print(line, toStderr);
      else (toStderr ? process.stderr : process.stdout).write(`${line}\n`);
    },
    stop() {
      progress?.stop();
    },
  };
}
