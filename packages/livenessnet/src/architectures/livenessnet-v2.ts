import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-layers';
import { colourLayer } from './colour-layer.js';
import { type ArchitectureOptions, checkPositiveIntegers, glorotInitializers } from './options.js';

/** Options of {@link buildLivenessNetV2}. */
export interface LivenessNetV2Options extends ArchitectureOptions {
  /** Add YCbCr channels beside RGB (6 channels into the first convolution). Default false. */
  ycbcr?: boolean;
}

/**
 * LivenessNet for larger inputs (default 64x64) at the cost of the original at 32x32: a stride-2 first
 * convolution keeps every pixel's fine texture (moiré, halftone, screen grid) in view while halving the
 * resolution; a third convolution block and global average pooling replace the 2048x64 dense layer
 * (fewer weights to overfit on a few dozen subjects). With `ycbcr`, a fixed 1x1 convolution appends
 * YCbCr to RGB first: chroma separated from luma is where recaptured colour gamuts differ most.
 */
export function buildLivenessNetV2(options: LivenessNetV2Options = {}): tf.Sequential {
  const { width = 64, height = 64, depth = 3, classes = 2, ycbcr = false } = options;
  checkPositiveIntegers({ width, height, depth, classes });
  if (width < 16 || height < 16)
    throw new InvalidInputError(`input ${width}x${height} is too small: needs >= 16x16`);
  const init = glorotInitializers(options.seed);
  const model = tf.sequential();
  const inputShape = [height, width, depth];
  if (ycbcr) model.add(colourLayer('ycbcr', inputShape));
  const conv = (filters: number, strides = 1, first = false) => {
    model.add(
      tf.layers.conv2d({
        ...(first && !ycbcr ? { inputShape } : {}),
        filters,
        kernelSize: 3,
        strides,
        padding: 'same',
        kernelInitializer: init(),
      }),
    );
    model.add(tf.layers.activation({ activation: 'relu' }));
    model.add(tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }));
  };
  conv(16, 2, true);
  conv(16);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  conv(32);
  conv(32);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  conv(64);
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: classes, kernelInitializer: init() }));
  model.add(tf.layers.activation({ activation: 'softmax' }));
  return model;
}
