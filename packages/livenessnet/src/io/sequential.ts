import { ModelFormatError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayerView, Predictor } from '../backend/predictor.js';
import { compileLayers, UnsupportedLayerError } from '../backend/predictor.js';
import { foldBatchNorms } from './fold-batch-norm.js';

/** A saved sequential model compiled to plain tfjs-core ops: what inference needs, without tfjs-layers. */
export interface CompiledModel {
  predict: Predictor;
  /** [null, height, width, channels] */
  inputShape: (number | null)[];
  outputUnits: number;
  /** Releases the weights. */
  dispose(): void;
}

type KerasLayer = { class_name: string; config: Record<string, unknown> };

/** Weights of each layer kind in tfjs-layers' order; the manifest lists all trainable weights first. */
const WEIGHT_ORDER: Record<string, readonly string[]> = {
  Conv2D: ['kernel', 'bias'],
  DepthwiseConv2D: ['depthwise_kernel', 'bias'],
  Dense: ['kernel', 'bias'],
  BatchNormalization: ['gamma', 'beta', 'moving_mean', 'moving_variance'],
};

/** `kernel_size` -> `kernelSize`, as tfjs-layers' getConfig names them. */
function camelCase(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key.replace(/_([a-z])/g, (_, c) => c.toUpperCase()),
      value,
    ]),
  );
}

/** The layers of a Sequential topology (Keras 2.2 wrote them as `config`, later versions as `config.layers`). */
function sequentialLayers(topology: unknown): KerasLayer[] | undefined {
  const root = topology as { class_name?: string; config?: unknown; model_config?: unknown } | undefined;
  const model = (root?.model_config ?? root) as { class_name?: string; config?: unknown } | undefined;
  if (model?.class_name !== 'Sequential') return undefined;
  const config = model.config as { layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(config) ? config : config?.layers;
  return Array.isArray(layers) ? (layers as KerasLayer[]) : undefined;
}

function layerWeights(layer: KerasLayer, named: tf.NamedTensorMap, where: string): tf.Tensor[] {
  const name = layer.config.name as string;
  const order = WEIGHT_ORDER[layer.class_name] ?? [];
  const own = new Map<string, tf.Tensor>();
  for (const [key, tensor] of Object.entries(named)) {
    if (!key.startsWith(`${name}/`)) continue;
    // tfjs may suffix a repeated variable name (`kernel_1`).
    own.set(key.slice(name.length + 1).replace(/_\d+$/, ''), tensor);
  }
  // A weight is absent only when the config says so (Keras' defaults are use_bias, scale, center true).
  const config = layer.config;
  const absent = (weight: string) =>
    (weight === 'bias' && config.use_bias === false) ||
    (weight === 'gamma' && config.scale === false) ||
    (weight === 'beta' && config.center === false);
  return order.flatMap((weight) => {
    if (absent(weight)) return [];
    const tensor = own.get(weight);
    if (tensor) return [tensor];
    throw new ModelFormatError(`${where}: weight ${name}/${weight} is missing from the weights manifest`);
  });
}

/** Largest input side and depth a face classifier may declare: a hostile model.json must not make the probe huge. */
const MAX_INPUT_SIDE = 1024;
const MAX_INPUT_DEPTH = 16;

function inputShapeOf(first: KerasLayer | undefined, where: string): (number | null)[] | undefined {
  const config = first?.config ?? {};
  const shape = (config.batch_input_shape ?? config.batchInputShape) as (number | null)[] | undefined;
  if (!Array.isArray(shape) || shape.length !== 4) return undefined;
  const [, height, width, depth] = shape;
  const fits = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;
  if (!fits(height, MAX_INPUT_SIDE) || !fits(width, MAX_INPUT_SIDE) || !fits(depth, MAX_INPUT_DEPTH)) {
    throw new ModelFormatError(
      `${where}: input shape [${shape.join(', ')}] is not a face classifier's (height and width 1-${MAX_INPUT_SIDE}, depth 1-${MAX_INPUT_DEPTH})`,
    );
  }
  return shape;
}

/** NaN or infinite weights (a damaged or diverged model) would score every face NaN, silently. */
export function assertFiniteWeight(values: ArrayLike<number>, name: string, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ModelFormatError(
        `the model at ${where} has non-finite values (NaN or infinity) in its weight ${name}: it is damaged or its training diverged; reinstall or retrain it`,
      );
    }
  }
}

/**
 * Compiles saved model artifacts of a Sequential model into tfjs-core ops. Returns `undefined` when the
 * model holds a topology or layer the compiler does not know (tfjs-layers must load it then); throws a
 * {@link ModelFormatError} naming `where` when the artifacts are damaged.
 */
export function compileArtifacts(artifacts: tf.io.ModelArtifacts, where: string): CompiledModel | undefined {
  const layers = sequentialLayers(artifacts.modelTopology);
  const inputShape = inputShapeOf(layers?.[0], where);
  if (!layers || !inputShape) return undefined;
  if (!artifacts.weightSpecs || !artifacts.weightData) {
    throw new ModelFormatError(`${where}: the model has no weights`);
  }
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  } catch (error) {
    throw new ModelFormatError(
      `${where}: its weights file does not match its manifest (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  const made: tf.Tensor[] = [];
  const dispose = () => tf.dispose([...Object.values(named), ...made]);
  try {
    for (const [name, tensor] of Object.entries(named)) assertFiniteWeight(tensor.dataSync(), name, where);
    const views: LayerView[] = layers.map((layer) => {
      const weights = layerWeights(layer, named, where);
      const config = camelCase(layer.config);
      if (Array.isArray(config.axis) && config.axis.length === 1) config.axis = config.axis[0];
      return { className: layer.class_name, config, weights: () => [...weights] };
    });
    const folded = foldBatchNorms(views);
    made.push(...folded.tensors);
    const predict = compileLayers(folded.layers);
    // One forward pass on zeros checks that the weights fit the topology, and gives the output size.
    const probe = tf.zeros([1, ...inputShape.slice(1)] as [number, number, number, number]);
    let outputUnits: number;
    try {
      const out = predict(probe as tf.Tensor4D);
      outputUnits = out.shape[out.shape.length - 1];
      out.dispose();
    } finally {
      probe.dispose();
    }
    return { predict, inputShape, outputUnits, dispose };
  } catch (error) {
    dispose();
    if (error instanceof UnsupportedLayerError) return undefined;
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(`${where}: its weights do not fit its layers (${(error as Error).message})`, {
      cause: error,
    });
  }
}
