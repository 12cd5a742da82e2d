import { FaceLivenessError, isFaceLivenessError } from '@face-liveness/core';

/** How {@link eachInput} reports a failed input. */
export interface EachInputOptions {
  /** Print a failure as the JSON line `{"<key>": input, "error": message}` instead of on stderr. */
  json?: boolean;
  key: 'image' | 'input';
  /** The end of the final error, after "N of M": e.g. `images could not be read`. */
  failure: string;
  /** Called with each failure, after it is printed. */
  onError?: (input: string, error: FaceLivenessError) => void;
  /** Inputs not started when it aborts are left out. */
  signal?: AbortSignal;
}

/**
 * Runs `work` on each input in turn. An input the library rejects (missing, unreadable, no video
 * stream) does not hide the results of the others: its error is printed and, after the last input,
 * the command fails saying how many failed.
 */
export async function eachInput(
  inputs: readonly string[],
  options: EachInputOptions,
  work: (input: string) => Promise<void>,
): Promise<void> {
  let failed = 0;
  for (const input of inputs) {
    if (options.signal?.aborted) break;
    try {
      await work(input);
    } catch (error) {
      if (!isFaceLivenessError(error)) throw error;
      failed++;
      if (options.json)
        process.stdout.write(`${JSON.stringify({ [options.key]: input, error: error.message })}\n`);
      else process.stderr.write(`face-liveness: ${error.message}\n`);
      options.onError?.(input, error);
    }
  }
  if (failed > 0) {
    throw new FaceLivenessError('ERR_INPUT_FAILED', `${failed} of ${inputs.length} ${options.failure}`);
  }
}
