import { InvalidInputError } from '@face-liveness/core';
import type * as tf from '@tensorflow/tfjs-layers';
import { buildLivenessNetDs } from './livenessnet-ds.js';
import { buildLivenessNet } from './livenessnet-v1.js';
import { buildLivenessNetV2 } from './livenessnet-v2.js';
import type { ArchitectureBuilder, ArchitectureOptions } from './options.js';

/**
 * Architectures by name. A saved model records its name (metadata `architecture`), so a variant
 * added here later never changes what an existing name builds.
 */
export const architectures: Readonly<Record<string, ArchitectureBuilder>> = {
  'livenessnet-v1': buildLivenessNet,
  'livenessnet-v1-hsv': (options) => buildLivenessNet({ ...options, colour: 'hsv' }),
  'livenessnet-v1-ycbcr': (options) => buildLivenessNet({ ...options, colour: 'ycbcr' }),
  'livenessnet-v2': buildLivenessNetV2,
  'livenessnet-v2-ycbcr': (options) => buildLivenessNetV2({ ...options, ycbcr: true }),
  'livenessnet-ds': buildLivenessNetDs,
};

/** The architecture new models get unless told otherwise. */
export const DEFAULT_ARCHITECTURE = 'livenessnet-v1';

/** Builds the named architecture; throws an {@link InvalidInputError} listing the known names. */
export function buildArchitecture(name: string, options: ArchitectureOptions = {}): tf.Sequential {
  const builder = architectures[name];
  if (!builder) {
    throw new InvalidInputError(
      `unknown architecture '${name}': known are ${Object.keys(architectures).join(', ')}`,
    );
  }
  return builder(options);
}
