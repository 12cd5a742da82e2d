import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { rgbToHsv } from '../rgb-hsv.js';

type LayerArgs = ConstructorParameters<typeof tfl.layers.Layer>[0];

/**
 * A weightless layer appending {@link rgbToHsv} to its RGB input (3 -> 6 channels): the one custom layer
 * of the architecture registry. Registered with tfjs' serialization when this module loads, which
 * `loadLivenessModel` imports, so a saved model holding it loads.
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
