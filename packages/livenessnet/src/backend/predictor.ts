import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { rgbToHsv } from '../rgb-hsv.js';

type Activation = 'relu' | 'linear';
type Config = Record<string, unknown>;

/** A model's forward pass as plain tfjs ops: input [n, h, w, c] -> its output (softmax probabilities). */
export type Predictor = (x: tf.Tensor4D) => tf.Tensor;

/**
 * One layer as the compiler sees it, whether a live tfjs-layers `Layer` (training: weights change between
 * calls) or a layer read from a saved `model.json` (inference without tfjs-layers). `config` uses
 * tfjs-layers' camelCase keys; `apply`, when present, runs a layer the compiler does not know.
 */
export interface LayerView {
  className: string;
  config: Config;
  /** The layer's weights in tfjs-layers' order (e.g. kernel, bias; gamma, beta, mean, variance). */
  weights(): tf.Tensor[];
  apply?: (x: tf.Tensor) => tf.Tensor;
}

/** Thrown for a layer that neither the compiler nor the view can run. */
export class UnsupportedLayerError extends Error {
  constructor(readonly className: string) {
    super(`layer ${className} cannot run without @tensorflow/tfjs-layers`);
  }
}

const POOLS = new Set(['MaxPooling2D', 'AveragePooling2D']);

function activationOf(layer: LayerView | undefined): string | undefined {
  return layer?.className === 'Activation' ? (layer.config.activation as string) : undefined;
}

/** Whether a conv/dense layer's output activation can be fused (own activation, or a following relu layer). */
function fusedActivation(
  layer: LayerView,
  next: LayerView | undefined,
): { activation: Activation; skipNext: boolean } | null {
  const own = (layer.config.activation as string | undefined) ?? 'linear';
  if (own === 'relu') return { activation: 'relu', skipNext: false };
  if (own !== 'linear') return null;
  return activationOf(next) === 'relu'
    ? { activation: 'relu', skipNext: true }
    : { activation: 'linear', skipNext: false };
}

/** Keras writes `channels_last`, tfjs-layers' getConfig `channelsLast`. */
function channelsLast(config: Config): boolean {
  const format = (config.dataFormat ?? 'channelsLast') as string;
  return format === 'channelsLast' || format === 'channels_last';
}

function isPlainConv(config: Config): boolean {
  const dilation = config.dilationRate as number | number[] | undefined;
  const dilated = Array.isArray(dilation)
    ? dilation.some((d) => d !== 1)
    : dilation !== undefined && dilation !== 1;
  return channelsLast(config) && !dilated;
}

function pair(value: unknown): [number, number] {
  return (Array.isArray(value) ? value : [value, value]) as [number, number];
}

/** A dense layer over the last axis of an input of any rank (tfjs-layers' semantics). */
function dense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: Activation) {
  const shape = x.shape;
  const rows = tf.reshape(x, [-1, shape[shape.length - 1]]) as tf.Tensor2D;
  const y = tf.fused.matMul({ a: rows, b: kernel as tf.Tensor2D, bias, activation });
  return shape.length === 2 ? y : tf.reshape(y, [...shape.slice(0, -1), kernel.shape[1] as number]);
}

/** A batch norm over the channels (the last axis of NHWC), the only kind compiled or folded. */
export function isChannelBatchNorm(layer: LayerView | undefined): layer is LayerView {
  return layer?.className === 'BatchNormalization' && (layer.config.axis === -1 || layer.config.axis === 3);
}

/** A batch norm's parameters, its weights read now (training changes them between calls). */
export function batchNormParts(layer: LayerView): {
  gamma?: tf.Tensor;
  beta?: tf.Tensor;
  mean: tf.Tensor;
  variance: tf.Tensor;
  epsilon: number;
} {
  // Keras and tfjs-layers default both to true; an absent key is not false.
  const {
    scale = true,
    center = true,
    epsilon = 1e-3,
  } = layer.config as {
    scale?: boolean;
    center?: boolean;
    epsilon?: number;
  };
  const weights = layer.weights();
  const gamma = scale ? weights.shift() : undefined;
  const beta = center ? weights.shift() : undefined;
  const [mean, variance] = weights;
  return { gamma, beta, mean, variance, epsilon };
}

/** One step of the forward pass, and how many layers it consumed. */
type Step = { run: (x: tf.Tensor) => tf.Tensor; layers: number };

function fallback(layer: LayerView): Step {
  const { apply } = layer;
  if (!apply) throw new UnsupportedLayerError(layer.className);
  return { run: apply, layers: 1 };
}

function compileLayer(layer: LayerView, next: LayerView | undefined): Step {
  const { className: kind, config } = layer;
  if (kind === 'Dropout' || kind === 'InputLayer') return { run: (x) => x, layers: 1 };
  if (kind === 'Flatten') return { run: (x) => tf.reshape(x, [x.shape[0], -1]), layers: 1 };
  if (kind === 'RgbHsv') return { run: (x) => tf.concat([x, rgbToHsv(x)], -1), layers: 1 };
  if (kind === 'Conv2D' || kind === 'DepthwiseConv2D') {
    const fused = fusedActivation(layer, next);
    if (!fused || !isPlainConv(config)) return fallback(layer);
    const strides = pair(config.strides ?? 1);
    const pad = config.padding as 'same' | 'valid';
    const depthwise = kind === 'DepthwiseConv2D';
    const run = (x: tf.Tensor) => {
      const [filter, bias] = layer.weights();
      const args = { x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides, pad, bias };
      return depthwise
        ? tf.fused.depthwiseConv2d({ ...args, activation: fused.activation })
        : tf.fused.conv2d({ ...args, activation: fused.activation });
    };
    return { run, layers: fused.skipNext ? 2 : 1 };
  }
  if (kind === 'Dense') {
    const fused = fusedActivation(layer, next);
    if (!fused) return fallback(layer);
    const run = (x: tf.Tensor) => {
      const [kernel, bias] = layer.weights();
      return dense(x, kernel, bias, fused.activation);
    };
    return { run, layers: fused.skipNext ? 2 : 1 };
  }
  if (kind === 'BatchNormalization') {
    if (!isChannelBatchNorm(layer)) return fallback(layer);
    const run = (x: tf.Tensor) => {
      const { mean, variance, beta, gamma, epsilon } = batchNormParts(layer);
      return tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
    };
    return { run, layers: 1 };
  }
  if (POOLS.has(kind) && channelsLast(config)) {
    const size = pair(config.poolSize);
    const strides = pair(config.strides ?? size);
    const pad = config.padding as 'same' | 'valid';
    const pool = kind === 'MaxPooling2D' ? tf.maxPool : tf.avgPool;
    return { run: (x) => pool(x as tf.Tensor4D, size, strides, pad), layers: 1 };
  }
  if (kind === 'GlobalAveragePooling2D' && channelsLast(config)) {
    return { run: (x) => tf.mean(x, [1, 2]), layers: 1 };
  }
  if (kind === 'Activation') {
    const activation = config.activation as string;
    if (activation === 'softmax') return { run: (x) => tf.softmax(x), layers: 1 };
    if (activation === 'relu') return { run: (x) => tf.relu(x), layers: 1 };
    if (activation === 'sigmoid') return { run: (x) => tf.sigmoid(x), layers: 1 };
    if (activation === 'linear') return { run: (x) => x, layers: 1 };
  }
  return fallback(layer);
}

/**
 * Compiles a sequence of layers into plain tfjs ops: conv/dense fused with their bias and ReLU (one
 * XNNPACK call each), batch norm as one op, dropout dropped. Throws {@link UnsupportedLayerError} for a
 * layer it does not know that has no `apply`.
 */
export function compileLayers(layers: readonly LayerView[]): Predictor {
  const steps: Step[] = [];
  for (let i = 0; i < layers.length; ) {
    const step = compileLayer(layers[i], layers[i + 1]);
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

/**
 * Compiles a sequential tfjs-layers model's inference pass into plain tfjs ops (see {@link compileLayers}).
 * Same results as `model.predict` (to float rounding) at a fraction of tfjs-layers' per-call overhead, which
 * dominates at batch 1. Layers it does not know run through their own `apply`. Weights are read at every
 * call, so further training is picked up.
 */
export function compilePredictor(model: LayersModel): Predictor {
  return compileLayers(
    model.layers.map((layer) => ({
      className: layer.getClassName(),
      config: layer.getConfig(),
      weights: () => layer.getWeights(),
      apply: (x) => layer.apply(x, { training: false }) as tf.Tensor,
    })),
  );
}
