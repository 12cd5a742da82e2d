import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-layers';
import { type ArchitectureOptions, checkPositiveIntegers, glorotInitializers } from './options.js';

/** Depthwise-separable blocks after the stem: [pointwise filters, stride of the depthwise convolution]. */
const BLOCKS: readonly (readonly [number, number])[] = [
  [64, 2],
  [128, 1],
  [128, 2],
  [256, 1],
  [256, 1],
  [512, 2],
];

/**
 * A MiniFASNet-class network (Silent-Face-Anti-Spoofing's family) for 80x80 context crops, ~0.4 M
 * weights: a stride-2 stem, depthwise-separable blocks down to 1/16 of the input, then a depthwise
 * convolution over the whole remaining map (MiniFASNet's "global depthwise" head) instead of average
 * pooling, because where on the face a print edge or screen glare lies matters; a 128-unit embedding,
 * softmax. Sequential (no residuals) so that `compilePredictor` fuses every layer at inference.
 */
export function buildLivenessNetDs(options: ArchitectureOptions = {}): tf.Sequential {
  const { width = 80, height = 80, depth = 3, classes = 2 } = options;
  checkPositiveIntegers({ width, height, depth, classes });
  if (width < 32 || height < 32)
    throw new InvalidInputError(`input ${width}x${height} is too small: needs >= 32x32`);
  const init = glorotInitializers(options.seed);
  const model = tf.sequential();
  const normRelu = () => {
    model.add(tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }));
    model.add(tf.layers.activation({ activation: 'relu' }));
  };
  model.add(
    tf.layers.conv2d({
      inputShape: [height, width, depth],
      filters: 32,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
    }),
  );
  normRelu();
  for (const [filters, strides] of BLOCKS) {
    model.add(
      tf.layers.depthwiseConv2d({
        kernelSize: 3,
        strides,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: init(),
      }),
    );
    normRelu();
    model.add(tf.layers.conv2d({ filters, kernelSize: 1, useBias: false, kernelInitializer: init() }));
    normRelu();
  }
  const [, h, w] = model.outputs[0].shape as number[];
  model.add(
    tf.layers.depthwiseConv2d({
      kernelSize: [h, w],
      padding: 'valid',
      useBias: false,
      depthwiseInitializer: init(),
    }),
  );
  model.add(tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: 0.2 }));
  model.add(tf.layers.dense({ units: 128, useBias: false, kernelInitializer: init() }));
  model.add(tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }));
  model.add(tf.layers.dense({ units: classes, kernelInitializer: init() }));
  model.add(tf.layers.activation({ activation: 'softmax' }));
  return model;
}
