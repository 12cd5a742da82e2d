import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-layers';

/** Options of every architecture builder. */
export interface ArchitectureOptions {
  /** Input width in pixels. Default 32. */
  width?: number;
  /** Input height in pixels. Default 32. */
  height?: number;
  /** Input channels. Default 3. */
  depth?: number;
  /** Output classes (softmax units). Default 2: fake, real. */
  classes?: number;
  /** Seed of the weight initialisers; default: unseeded. */
  seed?: number;
}

/** Builds an untrained model; the result is a softmax classifier over `classes`. */
export type ArchitectureBuilder = (options?: ArchitectureOptions) => tf.Sequential;

/** Throws an {@link InvalidInputError} naming the first value that is not a positive integer. */
export function checkPositiveIntegers(values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new InvalidInputError(`${name} must be a positive integer, got ${value}`);
    }
  }
}

/**
 * Kernel initialisers for successive layers: Glorot uniform (Keras' default), each seeded with
 * `seed + n` when a seed is given, because one shared seed would give same-shaped layers identical weights.
 */
export function glorotInitializers(
  seed?: number,
): () => ReturnType<typeof tf.initializers.glorotUniform> | 'glorotUniform' {
  let index = 0;
  return () =>
    seed === undefined ? 'glorotUniform' : tf.initializers.glorotUniform({ seed: seed + index++ });
}
