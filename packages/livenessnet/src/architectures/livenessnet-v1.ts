import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-layers';
import { type ColourSpace, colourLayer } from './colour-layer.js';
import { type ArchitectureOptions, checkPositiveIntegers, glorotInitializers } from './options.js';

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
  const { width = 32, height = 32, depth = 3, classes = 2 } = options;
  checkPositiveIntegers({ width, height, depth, classes });
  // Two 2x2 max-pools: smaller inputs would pool to nothing.
  if (width < 4 || height < 4)
    throw new InvalidInputError(`input ${width}x${height} is too small: LivenessNet needs >= 4x4`);
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
