import { FaceLivenessError, ModelFormatError, ModelNotFoundError } from '@face-liveness/core';
import type { SessionHost } from './engine-types.js';
import type { SkippedFace, SkipSummary } from './types.js';

/**
 * Rethrows `error` unless a stage raised it because of the frame or face it was given (the
 * project's errors: `InvalidInputError` and any other `FaceLivenessError` but the model ones).
 * Those are skipped and counted; a closed engine, a missing or broken model, and programming errors
 * (TypeError, ...) stop the stream.
 */
export function rethrowUnlessSkippable(error: unknown, host: Pick<SessionHost, 'assertOpen'>): void {
  host.assertOpen();
  const modelError = error instanceof ModelNotFoundError || error instanceof ModelFormatError;
  if (!(error instanceof FaceLivenessError) || modelError) throw error;
}

/**
 * `run`'s result, or undefined when it failed on the data: then the skip is added to `skipped`,
 * with the error's message as its reason.
 */
export async function attempt<T>(
  host: Pick<SessionHost, 'assertOpen'>,
  skipped: SkippedFace[],
  skip: Omit<SkippedFace, 'reason'>,
  run: () => Promise<T>,
): Promise<{ value: T } | undefined> {
  try {
    return { value: await run() };
  } catch (error) {
    rethrowUnlessSkippable(error, host);
    skipped.push({ ...skip, reason: (error as Error).message });
    return undefined;
  }
}

/** Counts a stream's skips by reason. */
export class SkipCounter {
  private frames = 0;
  private readonly reasons = new Map<string, number>();

  add(skipped: readonly SkippedFace[]): void {
    if (skipped.length === 0) return;
    this.frames++;
    for (const { stage, reason } of skipped) {
      // Messages carry the frame's numbers (a box, a size): without them one cause is one count.
      const key = `${stage}: ${reason.replace(/-?\d+(\.\d+)?(e-?\d+)?/g, '#')}`;
      this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
    }
  }

  summary(): SkipSummary {
    return { frames: this.frames, reasons: Object.fromEntries(this.reasons) };
  }
}
