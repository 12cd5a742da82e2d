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
