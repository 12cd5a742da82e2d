import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-layers';
import { type ColourSpace, colourLayer } from './colour-spaces.js';
import { buildLivenessNetV2 } from './livenessnet-v2.js';

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

function checkSize(options: ArchitectureOptions): Required<Omit<ArchitectureOptions, 'seed'>> {
  const { width = 32, height = 32, depth = 3, classes = 2 } = options;
  for (const [name, value] of Object.entries({ width, height, depth, classes })) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new InvalidInputError(`${name} must be a positive integer, got ${value}`);
    }
  }
  // Two 2x2 max-pools: smaller inputs would pool to nothing.
  if (width < 4 || height < 4)
    throw new InvalidInputError(`input ${width}x${height} is too small: LivenessNet needs >= 4x4`);
  return { width, height, depth, classes };
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

/** Options of {@link buildLivenessNet}. */
export interface LivenessNetOptions extends ArchitectureOptions {
  /** Colour channels appended to RGB by a fixed first layer (6 channels into the first convolution). Default none. */
  colour?: ColourSpace;
}

/**
 * The original project's LivenessNet, layer for layer (Keras: conv -> Activation('relu') -> BatchNormalization,
 * BatchNorm epsilon 1e-3 on the channel axis, 'same' padding, dropouts 0.25/0.25/0.5), channels last.
 * With `colour`, a fixed layer in front appends YCbCr or HSV to RGB (the first convolution then has
 * 6 input channels; everything after it is unchanged).
 */
export function buildLivenessNet(options: LivenessNetOptions = {}): tf.Sequential {
  const { width, height, depth, classes } = checkSize(options);
  const init = glorotInitializers(options.seed);
  const model = tf.sequential();
  const inputShape = [height, width, depth];
  if (options.colour) model.add(colourLayer(options.colour, inputShape));
  const convBlock = (filters: number, first: boolean) => {
    model.add(
      tf.layers.conv2d({
        ...(first && !options.colour ? { inputShape } : {}),
        filters,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: init(),
      }),
    );
    model.add(tf.layers.activation({ activation: 'relu' }));
    model.add(tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }));
  };
  convBlock(16, true);
  convBlock(16, false);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  convBlock(32, false);
  convBlock(32, false);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, kernelInitializer: init() }));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: classes, kernelInitializer: init() }));
  model.add(tf.layers.activation({ activation: 'softmax' }));
  return model;
}

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
