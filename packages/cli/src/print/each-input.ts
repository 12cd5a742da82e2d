import {
  FaceLivenessError,
  isFaceLivenessError,
  ModelFormatError,
  ModelIntegrityError,
  ModelNotFoundError,
  probeImage,
} from '@face-liveness/core';
import { type BatchProgress, batchProgress } from './batch-progress.js';

/** How {@link eachInput} reports inputs. */
export interface EachInputOptions {
  /** Print a failure as the JSON line `{"<key>": input, "error": message}` instead of on stderr. */
  json?: boolean;
  key: 'image' | 'input' | 'line';
  /** The end of the final error, after "N of M": e.g. `images could not be read`. */
  failure: string;
  /** What the inputs are, in the progress bar: `images`, `inputs`. */
  noun?: string;
  /** No progress on stderr. */
  quiet?: boolean;
  /** Called with each failure, after it is printed. */
  onError?: (input: string, error: FaceLivenessError) => void;
  /** Inputs not started when it aborts are left out. */
  signal?: AbortSignal;
  /**
   * A cheap check of every input before any work (an image's header: size limits, format), so
   * that a run whose every input is refused loads no model. Its errors are reported in order.
   */
  check?: (input: string) => Promise<unknown>;
  /** Loads what `work` needs (models), once, after `check` and only if some input passed it. */
  prepare?: () => Promise<void>;
}

/**
 * Runs `work` on each input in turn, with progress on stderr. An input the library rejects
 * (missing, unreadable, too large, no video stream) does not hide the results of the others: its
 * error is printed on its own line, and after the last input a summary (`N ok, M failed`) is
 * printed and the command fails (exit code 1) saying how many failed. `work` prints through
 * `print` so that its lines and the bar do not overwrite each other.
 */
export async function eachInput(
  inputs: readonly string[],
  options: EachInputOptions,
  work: (input: string, print: BatchProgress['print']) => Promise<void>,
): Promise<void> {
  const refused = new Map<string, unknown>();
  if (options.check) {
    for (const input of inputs) await options.check(input).catch((error) => refused.set(input, error));
  }
  if (refused.size < inputs.length) await options.prepare?.();
  const progress = batchProgress(inputs.length, options.noun ?? `${options.key}s`, options.quiet);
  let failed = 0;
  let ok = 0;
  try {
    for (const input of inputs) {
      if (options.signal?.aborted) break;
      try {
        if (refused.has(input)) throw refused.get(input);
        await work(input, progress.print);
        ok++;
        progress.tick(false);
      } catch (error) {
        // A model that fails (damaged, not found) would fail every input alike: stop the run.
        if (
          !isFaceLivenessError(error) ||
          error instanceof ModelFormatError ||
          error instanceof ModelIntegrityError ||
          error instanceof ModelNotFoundError
        ) {
          throw error;
        }
        failed++;
        progress.tick(true);
        if (options.json) progress.print(JSON.stringify({ [options.key]: input, error: error.message }));
        else progress.print(`face-liveness: ${error.message}`, true);
        options.onError?.(input, error);
      }
    }
  } finally {
    progress.stop();
  }
  const skipped = inputs.length - ok - failed;
  process.stderr.write(
    `${ok} ok, ${failed} failed${skipped ? `, ${skipped} not started (interrupted)` : ''}\n`,
  );
  if (failed > 0) {
    throw new FaceLivenessError('ERR_INPUT_FAILED', `${failed} of ${inputs.length} ${options.failure}`);
  }
}

/** What {@link eachImage} opens once and closes at the end: the command's models. */
export interface Opened {
  close(): Promise<unknown>;
}

/**
 * {@link eachInput} over image files (detect, landmarks, classify): each image's header checked
 * first (`minSide`: smaller images are refused), the models opened once for the first image that
 * passed, every image handed to `work` with them, and the models closed at the end.
 */
export async function eachImage<T extends Opened>(
  images: readonly string[],
  options: { json?: boolean; quiet?: boolean; failure?: string; minSide?: number; open: () => Promise<T> },
  work: (image: string, opened: T, print: BatchProgress['print']) => Promise<void>,
): Promise<void> {
  let opened: T | undefined;
  try {
    await eachInput(
      images,
      {
        json: options.json,
        quiet: options.quiet,
        key: 'image',
        failure: options.failure ?? 'images could not be read',
        check: (image) => probeImage(image, { minSide: options.minSide }),
        prepare: async () => {
          opened = await options.open();
        },
      },
      (image, print) => work(image, opened as T, print),
    );
  } finally {
    await opened?.close();
  }
}
