import { ModelFormatError } from '@face-liveness/core';

/**
 * Throws when a detector's raw outputs hold NaN or infinity: a damaged model (flipped bits in its
 * weights) would otherwise report faces with NaN boxes, or none, silently.
 */
export function assertFiniteOutputs(model: string, ...outputs: Float32Array[]): void {
  for (const values of outputs) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new ModelFormatError(
          `the face detector model ${model} produced non-finite values (NaN or infinity): the file is damaged; reinstall it (\`face-liveness models verify\` checks the store)`,
        );
      }
    }
  }
}
