import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { RgbHsv } from './rgb-hsv-layer.js';

/**
 * Colour channels a model can append to its RGB input with a fixed first layer (part of the saved model,
 * so whoever loads it feeds plain RGB / 255): `ycbcr` (ITU-R BT.601 full range, as JPEG) or `hsv`
 * (OpenCV's float conversion, H scaled to 0..1).
 */
export type ColourSpace = 'ycbcr' | 'hsv';

/** RGB (0..1) to full-range YCbCr as ITU-R BT.601 / JPEG define it: a linear map, i.e. a 1x1 convolution. */
const YCBCR_KERNEL = [
  [0.299, -0.168736, 0.5],
  [0.587, -0.331264, -0.418688],
  [0.114, 0.5, -0.081312],
];
const YCBCR_BIAS = [0, 0.5, 0.5];

/**
 * The fixed first layer that appends `space` to RGB (6 channels out), named `rgb_<space>`. Needs an RGB
 * input (`depth` 3). YCbCr is a frozen 1x1 convolution, so loading it needs no custom layer.
 */
export function colourLayer(space: ColourSpace, inputShape: number[]): tfl.layers.Layer {
  if (inputShape.at(-1) !== 3) {
    throw new InvalidInputError(
      `${space} channels need an RGB input (depth 3), got depth ${inputShape.at(-1)}`,
    );
  }
  const name = `rgb_${space}`;
  if (space === 'hsv') return new RgbHsv({ inputShape, name });
  const kernel = YCBCR_KERNEL.map((row, c) => [...[0, 1, 2].map((k) => (k === c ? 1 : 0)), ...row]);
  return tfl.layers.conv2d({
    inputShape,
    filters: 6,
    kernelSize: 1,
    trainable: false,
    name,
    weights: [tf.tensor4d(kernel.flat(), [1, 1, 3, 6]), tf.tensor1d([0, 0, 0, ...YCBCR_BIAS])],
  });
}
