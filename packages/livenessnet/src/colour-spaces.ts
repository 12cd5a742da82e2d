import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

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

/** C++'s FLT_EPSILON, which OpenCV adds to the divisors instead of branching on zero. */
const FLT_EPSILON = 1.1920929e-7;

/**
 * RGB in 0..1, channels last, to HSV in 0..1 the way OpenCV's `cvtColor(COLOR_RGB2HSV)` converts float
 * images (H in degrees there, divided by 360 here; grey gets H = 0, black S = 0; ties go to R, then G).
 */
export function rgbToHsv(rgb: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [r, g, b] = tf.split(rgb, 3, -1);
    const v = tf.maximum(tf.maximum(r, g), b);
    const diff = tf.sub(v, tf.minimum(tf.minimum(r, g), b));
    const s = tf.div(diff, tf.add(tf.abs(v), FLT_EPSILON));
    const step = tf.div(60 / 360, tf.add(diff, FLT_EPSILON));
    const hue = tf.where(
      tf.equal(v, r),
      tf.mul(tf.sub(g, b), step),
      tf.where(
        tf.equal(v, g),
        tf.add(tf.mul(tf.sub(b, r), step), 120 / 360),
        tf.add(tf.mul(tf.sub(r, g), step), 240 / 360),
      ),
    );
    const h = tf.where(tf.less(hue, 0), tf.add(hue, 1), hue);
    return tf.concat([h, s, v], -1);
  });
}

type LayerArgs = ConstructorParameters<typeof tfl.layers.Layer>[0];

/**
 * A weightless layer appending {@link rgbToHsv} to its RGB input (3 -> 6 channels). Registered with tfjs'
 * serialization, so a saved model with it loads wherever this module was imported.
 */
export class RgbHsv extends tfl.layers.Layer {
  static className = 'RgbHsv';

  constructor(args: LayerArgs = {}) {
    super({ ...args, trainable: false });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), 6];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.concat([x, rgbToHsv(x)], -1));
  }
}
tf.serialization.registerClass(RgbHsv);

/**
 * The fixed first layer that appends `space` to RGB (6 channels out), named `rgb_<space>`. Needs an RGB
 * input (`depth` 3).
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
