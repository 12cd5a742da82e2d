import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvalidInputError, importOptional, ModelFormatError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset, Group } from 'h5wasm/node';
import { buildLivenessNet } from '../architectures/livenessnet-v1.js';
import { isHdf5File } from '../io/hdf5-signature.js';
import type { LivenessMetadata } from '../metadata.js';
import { METADATA_FORMAT } from '../metadata.js';

type H5wasm = typeof import('h5wasm/node');

/** h5wasm (15 MB of WebAssembly), an optional peer dependency loaded only to import a Keras file. */
async function loadH5wasm(): Promise<H5wasm['default']> {
  const module = await importOptional<H5wasm>(
    'h5wasm/node',
    'Importing a Keras .h5 model',
    () => import('h5wasm/node'),
  );
  await module.default.ready;
  return module.default;
}

/** Options of {@link importKerasModel}; the defaults describe the original project's `liveness.model`. */
export interface KerasImportOptions {
  /** Label of each output; default `['fake', 'real']` (the original's LabelEncoder, le.pickle). */
  classNames?: string[];
  /** Channel order the Keras model was trained on; default `BGR` (OpenCV's `imread`). */
  channelOrder?: 'RGB' | 'BGR';
  /** Decision threshold on P(real); default 0.5 (the original's argmax). */
  threshold?: number;
  /** Description of the training data; default names the imported file. */
  trainedOn?: string;
}

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown> & { name: string };
}

const SUPPORTED = [
  'Conv2D',
  'BatchNormalization',
  'Dense',
  'Activation',
  'MaxPooling2D',
  'Dropout',
  'Flatten',
];
const ACTIVATIONS = ['linear', 'relu', 'softmax', 'sigmoid', 'tanh'];

type Pair = [number, number];
const pair = (value: unknown): Pair =>
  Array.isArray(value) ? [value[0], value[1]] : [Number(value), Number(value)];

/** The tfjs layer equal to one Keras 2 layer config; `inputShape` is set on the first layer only. */
function toTfjsLayer(layer: KerasLayer, file: string, inputShape?: number[]): tfl.layers.Layer {
  const c = layer.config;
  const name = c.name;
  const common = { name, ...(inputShape ? { inputShape } : {}) };
  const fail = (why: string) => new ModelFormatError(`${file}: layer '${name}' (${layer.class_name}) ${why}`);
  if (c.data_format !== undefined && c.data_format !== 'channels_last') throw fail('is not channels_last');
  const activation = (value: unknown) => {
    if (value === undefined) return 'linear';
    if (typeof value !== 'string' || !ACTIVATIONS.includes(value))
      throw fail(`has unsupported activation ${value}`);
    return value as 'linear';
  };
  switch (layer.class_name) {
    case 'Conv2D':
      return tfl.layers.conv2d({
        ...common,
        filters: c.filters as number,
        kernelSize: pair(c.kernel_size),
        strides: pair(c.strides ?? 1),
        dilationRate: pair(c.dilation_rate ?? 1),
        padding: c.padding as 'same' | 'valid',
        activation: activation(c.activation),
        useBias: c.use_bias !== false,
      });
    case 'BatchNormalization': {
      const axis = c.axis as number;
      if (axis !== -1 && axis !== 3 && !(inputShape === undefined && axis === 1)) {
        throw fail(`normalises axis ${axis}; only the channel axis (-1) is supported`);
      }
      return tfl.layers.batchNormalization({
        ...common,
        axis: -1,
        epsilon: c.epsilon as number,
        momentum: c.momentum as number,
        center: c.center !== false,
        scale: c.scale !== false,
      });
    }
    case 'Dense':
      return tfl.layers.dense({
        ...common,
        units: c.units as number,
        activation: activation(c.activation),
        useBias: c.use_bias !== false,
      });
    case 'Activation':
      return tfl.layers.activation({ ...common, activation: activation(c.activation) });
    case 'MaxPooling2D':
      return tfl.layers.maxPooling2d({
        ...common,
        poolSize: pair(c.pool_size),
        strides: pair(c.strides ?? c.pool_size),
        padding: c.padding as 'same' | 'valid',
      });
    case 'Dropout':
      return tfl.layers.dropout({ ...common, rate: c.rate as number });
    case 'Flatten':
      return tfl.layers.flatten(common);
    default:
      throw new ModelFormatError(
        `${file}: layer '${name}' is a ${layer.class_name}, which the importer does not support ` +
          `(supported: ${SUPPORTED.join(', ')})`,
      );
  }
}

function readLayers(modelConfig: unknown, file: string): KerasLayer[] {
  const config = modelConfig as { class_name?: string; config?: unknown };
  if (config?.class_name !== 'Sequential') {
    throw new ModelFormatError(
      `${file}: the Keras model is a ${config?.class_name ?? 'unknown model'}; only Sequential models are imported`,
    );
  }
  // Keras <= 2.1 stored the layer list directly, 2.2+ under `layers`.
  const layers = Array.isArray(config.config)
    ? config.config
    : (config.config as { layers?: unknown })?.layers;
  if (!Array.isArray(layers) || layers.length === 0)
    throw new ModelFormatError(`${file}: the model has no layers`);
  return (layers as KerasLayer[]).filter((layer) => layer.class_name !== 'InputLayer');
}

function inputShapeOf(layers: KerasLayer[], modelConfig: unknown, file: string): number[] {
  const first = layers[0].config as { batch_input_shape?: (number | null)[] };
  const shape =
    first.batch_input_shape ??
    (modelConfig as { config?: { build_input_shape?: (number | null)[] } }).config?.build_input_shape;
  if (!shape || shape.length !== 4 || shape.slice(1).some((d) => !Number.isInteger(d))) {
    throw new ModelFormatError(
      `${file}: the first layer has no fixed [batch, height, width, channels] input shape`,
    );
  }
  if (shape[3] !== 3)
    throw new ModelFormatError(`${file}: the model takes ${shape[3]} channels; face crops have 3`);
  return shape.slice(1) as number[];
}

/** The layer class sequence of the original architecture, to recognise an imported LivenessNet. */
function isLivenessNetV1(model: tfl.Sequential): boolean {
  const reference = buildLivenessNet({
    width: model.inputs[0].shape[2] ?? 32,
    height: model.inputs[0].shape[1] ?? 32,
    classes: model.outputs[0].shape[1] ?? 2,
  });
  const signature = (m: tfl.LayersModel) =>
    m.layers.map((l) => `${l.getClassName()}:${l.countParams()}`).join(',');
  const same = signature(reference) === signature(model);
  reference.dispose();
  return same;
}

/**
 * Imports a Keras 2 HDF5 Sequential model (the original's `liveness.model`: `model_config` JSON in
 * the root attributes, weights under `model_weights/<layer>/<layer>/<name>:0`) as a tfjs model with
 * LivenessNet metadata. Supports Conv2D, BatchNormalization, Dense, Activation, MaxPooling2D,
 * Dropout and Flatten; any other layer is a {@link ModelFormatError} naming it.
 */
export async function importKerasModel(
  path: string,
  options: KerasImportOptions = {},
): Promise<{ model: tfl.Sequential; metadata: LivenessMetadata }> {
  if (!(await isHdf5File(path).catch(() => false))) {
    throw new ModelFormatError(
      `${path} is not an HDF5 file (expected a Keras .h5 model such as liveness.model)`,
    );
  }
  const bytes = await readFile(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const h5wasm = await loadH5wasm();
  const file = new h5wasm.File(path, 'r');
  const model = tfl.sequential();
  try {
    const configAttr = file.attrs.model_config;
    if (!configAttr) {
      throw new ModelFormatError(`${path} is an HDF5 file but not a Keras model (no model_config attribute)`);
    }
    const configText = configAttr.value;
    const modelConfig = JSON.parse(
      typeof configText === 'string' ? configText : new TextDecoder().decode(configText as Uint8Array),
    );
    const layers = readLayers(modelConfig, path);
    const inputShape = inputShapeOf(layers, modelConfig, path);
    layers.forEach((layer, i) => {
      model.add(toTfjsLayer(layer, path, i === 0 ? inputShape : undefined));
    });
    const weightsRoot = file.get('model_weights') ? 'model_weights' : '';
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      const group = file.get(weightsRoot ? `${weightsRoot}/${layer.name}` : layer.name) as Group | null;
      const names = group?.attrs.weight_names?.value as string[] | undefined;
      if (!group || !names)
        throw new ModelFormatError(`${path}: no weights stored for layer '${layer.name}'`);
      const values = layer.weights.map((weight) => {
        // tfjs names a weight `<layer>/<name>`, Keras stores `<layer>/<name>:0`
        const short = weight.originalName.split('/').pop();
        const stored = names.find((n) => n.replace(/:\d+$/, '').split('/').pop() === short);
        const dataset = stored ? (group.get(stored) as Dataset | null) : null;
        if (!dataset) throw new ModelFormatError(`${path}: layer '${layer.name}' lacks weight '${short}'`);
        const shape = dataset.shape ?? [];
        if (shape.join('x') !== weight.shape.join('x')) {
          throw new ModelFormatError(
            `${path}: weight ${layer.name}/${short} has shape [${shape}], the layer needs [${weight.shape}]`,
          );
        }
        return tf.tensor(
          Float32Array.from(dataset.value as ArrayLike<number>),
          weight.shape as number[],
          'float32',
        );
      });
      layer.setWeights(values);
      tf.dispose(values);
    }
  } catch (error) {
    model.dispose();
    if (error instanceof ModelFormatError || error instanceof InvalidInputError) throw error;
    throw new ModelFormatError(`cannot import ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    file.close();
  }
  const outputUnits = model.outputs[0].shape[1] ?? 0;
  const classNames = options.classNames ?? (outputUnits === 2 ? ['fake', 'real'] : []);
  if (classNames.length !== outputUnits || !classNames.includes('real')) {
    model.dispose();
    throw new InvalidInputError(
      `${path} has ${outputUnits} outputs: give their labels (one must be 'real'), e.g. classNames ['fake', 'real']`,
    );
  }
  const metadata: LivenessMetadata = {
    format: METADATA_FORMAT,
    architecture: isLivenessNetV1(model) ? 'livenessnet-v1' : 'keras-sequential',
    inputSize: { width: model.inputs[0].shape[2] as number, height: model.inputs[0].shape[1] as number },
    channelOrder: options.channelOrder ?? 'BGR',
    classNames,
    preprocessing: { scale: 1 / 255, resize: 'bilinear', decoder: 'opencv' },
    threshold: options.threshold ?? 0.5,
    trainedOn: options.trainedOn ?? `imported from Keras file ${basename(path)} (sha256 ${sha256})`,
  };
  return { model, metadata };
}
