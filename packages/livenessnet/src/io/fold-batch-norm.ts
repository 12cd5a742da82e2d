import * as tf from '@tensorflow/tfjs-core';
import { batchNormParts, isChannelBatchNorm, type LayerView } from '../backend/predictor.js';

const CONVOLUTIONS = new Set(['Conv2D', 'DepthwiseConv2D']);

/** A linear convolution whose output goes straight into a batch norm over channels. */
function foldable(layer: LayerView, next: LayerView | undefined): next is LayerView {
  const linear = ((layer.config.activation as string | undefined) ?? 'linear') === 'linear';
  return CONVOLUTIONS.has(layer.className) && linear && isChannelBatchNorm(next);
}

/** conv then batch norm as one conv: kernel x gamma / sqrt(var + eps) per output channel, bias alike. */
function fold(conv: LayerView, norm: LayerView): { view: LayerView; tensors: tf.Tensor[] } {
  const [kernel, bias] = conv.weights();
  const { gamma, beta, mean, variance, epsilon } = batchNormParts(norm);
  const [foldedKernel, foldedBias] = tf.tidy(() => {
    const factor = tf.div(gamma ?? tf.onesLike(variance), tf.sqrt(tf.add(variance, epsilon)));
    // A conv kernel [h, w, in, out] has the output channels last; a depthwise one [h, w, in, multiplier]
    // feeds output channel in * multiplier + m, i.e. its last two axes flattened, in order.
    const shape = kernel.shape;
    const k =
      conv.className === 'DepthwiseConv2D'
        ? tf.reshape(tf.mul(tf.reshape(kernel, [...shape.slice(0, 2), -1]), factor), shape)
        : tf.mul(kernel, factor);
    const shifted = tf.mul(tf.sub(bias ?? tf.zerosLike(mean), mean), factor);
    return [k, beta ? tf.add(shifted, beta) : shifted];
  });
  const tensors = [foldedKernel, foldedBias];
  return {
    view: { className: conv.className, config: conv.config, weights: () => [...tensors] },
    tensors,
  };
}

/**
 * Folds every batch norm that directly follows a linear convolution into that convolution, for a
 * model whose weights no longer change (a loaded one): one fused conv + bias + ReLU call instead of
 * a conv, a batch norm and a ReLU. Returns the new layer list and the tensors it made (to dispose).
 */
export function foldBatchNorms(layers: readonly LayerView[]): { layers: LayerView[]; tensors: tf.Tensor[] } {
  const out: LayerView[] = [];
  const tensors: tf.Tensor[] = [];
  for (let i = 0; i < layers.length; i++) {
    const next = layers[i + 1];
    if (foldable(layers[i], next)) {
      const folded = fold(layers[i], next);
      out.push(folded.view);
      tensors.push(...folded.tensors);
      i++;
    } else {
      out.push(layers[i]);
    }
  }
  return { layers: out, tensors };
}
