import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, layers } from '@tensorflow/tfjs-layers';

type Layer = layers.Layer;
type Activation = 'relu' | 'linear';
type Config = Record<string, unknown>;

/** A model's forward pass as plain tfjs ops: input [n, h, w, c] -> its output (softmax probabilities). */
export type Predictor = (x: tf.Tensor4D) => tf.Tensor;

const POOLS = new Set(['MaxPooling2D', 'AveragePooling2D']);

function activationOf(layer: Layer | undefined): string | undefined {
  if (!layer) return undefined;
  const config = layer.getConfig();
  return layer.getClassName() === 'Activation' ? (config.activation as string) : undefined;
}

/** Whether a conv/dense layer's output activation can be fused (own activation, or a following relu layer). */
function fusedActivation(
  layer: Layer,
  next: Layer | undefined,
): { activation: Activation; skipNext: boolean } | null {
  const own = (layer.getConfig().activation as string | undefined) ?? 'linear';
  if (own === 'relu') return { activation: 'relu', skipNext: false };
  if (own !== 'linear') return null;
  return activationOf(next) === 'relu'
    ? { activation: 'relu', skipNext: true }
    : { activation: 'linear', skipNext: false };
}

function isPlainConv(config: Config): boolean {
  const dilation = config.dilationRate as number | number[] | undefined;
  const dilated = Array.isArray(dilation)
    ? dilation.some((d) => d !== 1)
    : dilation !== undefined && dilation !== 1;
  return (config.dataFormat ?? 'channelsLast') === 'channelsLast' && !dilated;
}

/** One step of the forward pass, and how many layers it consumed. */
type Step = { run: (x: tf.Tensor) => tf.Tensor; layers: number };

function compileLayer(layer: Layer, next: Layer | undefined): Step {
  const kind = layer.getClassName();
  const config = layer.getConfig();
  const fallback: Step = { run: (x) => layer.apply(x, { training: false }) as tf.Tensor, layers: 1 };
  if (kind === 'Dropout' || kind === 'InputLayer') return { run: (x) => x, layers: 1 };
  if (kind === 'Flatten') return { run: (x) => tf.reshape(x, [x.shape[0], -1]), layers: 1 };
  if (kind === 'Conv2D' || kind === 'DepthwiseConv2D') {
    const fused = fusedActivation(layer, next);
    if (!fused || !isPlainConv(config)) return fallback;
    const strides = config.strides as [number, number];
    const pad = config.padding as 'same' | 'valid';
    const depthwise = kind === 'DepthwiseConv2D';
    const run = (x: tf.Tensor) => {
      const [filter, bias] = layer.getWeights();
      const args = {
        x: x as tf.Tensor4D,
        filter: filter as tf.Tensor4D,
        strides,
        pad,
        bias,
        activation: fused.activation,
      };
      return depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
    };
    return { run, layers: fused.skipNext ? 2 : 1 };
  }
  if (kind === 'Dense') {
    const fused = fusedActivation(layer, next);
    if (!fused) return fallback;
    const run = (x: tf.Tensor) => {
      if (x.rank !== 2) {
        // Dense over the last axis of a rank-3+ input: tfjs-layers reshapes; let it.
        const y = layer.apply(x, { training: false }) as tf.Tensor;
        return fused.skipNext ? tf.relu(y) : y;
      }
      const [kernel, bias] = layer.getWeights();
      return tf.fused.matMul({
        a: x as tf.Tensor2D,
        b: kernel as tf.Tensor2D,
        bias,
        activation: fused.activation,
      });
    };
    return { run, layers: fused.skipNext ? 2 : 1 };
  }
  if (kind === 'BatchNormalization') {
    const axis = config.axis as number;
    if (axis !== -1 && axis !== (layer.inputSpec?.[0]?.ndim ?? 0) - 1) return fallback;
    const { scale, center, epsilon } = config as { scale: boolean; center: boolean; epsilon: number };
    const run = (x: tf.Tensor) => {
      const weights = layer.getWeights();
      const gamma = scale ? weights.shift() : undefined;
      const beta = center ? weights.shift() : undefined;
      const [mean, variance] = weights;
      return tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
    };
    return { run, layers: 1 };
  }
  if (POOLS.has(kind) && (config.dataFormat ?? 'channelsLast') === 'channelsLast') {
    const size = config.poolSize as [number, number];
    const strides = (config.strides ?? size) as [number, number];
    const pad = config.padding as 'same' | 'valid';
    const pool = kind === 'MaxPooling2D' ? tf.maxPool : tf.avgPool;
    return { run: (x) => pool(x as tf.Tensor4D, size, strides, pad), layers: 1 };
  }
  if (kind === 'GlobalAveragePooling2D' && (config.dataFormat ?? 'channelsLast') === 'channelsLast') {
    return { run: (x) => tf.mean(x, [1, 2]), layers: 1 };
  }
  if (kind === 'Activation') {
    const activation = config.activation as string;
    if (activation === 'softmax') return { run: (x) => tf.softmax(x), layers: 1 };
    if (activation === 'relu') return { run: (x) => tf.relu(x), layers: 1 };
    if (activation === 'sigmoid') return { run: (x) => tf.sigmoid(x), layers: 1 };
  }
  return fallback;
}

/**
 * Compiles a sequential model's inference pass into plain tfjs ops: conv/dense fused with their bias and ReLU
 * (one XNNPACK call each), batch norm as one op, dropout dropped. Same results as `model.predict` (to float
 * rounding) at a fraction of tfjs-layers' per-call overhead, which dominates at batch 1. Layers it does not know
 * run through their own `apply`. Weights are read at every call, so further training is picked up.
 */
export function compilePredictor(model: LayersModel): Predictor {
  const all = model.layers;
  const steps: Step[] = [];
  for (let i = 0; i < all.length; ) {
    const step = compileLayer(all[i], all[i + 1]);
    steps.push(step);
    i += step.layers;
  }
  return (x) =>
    tf.tidy(() => {
      let y: tf.Tensor = x;
      for (const step of steps) y = step.run(y);
      return y;
    });
}
