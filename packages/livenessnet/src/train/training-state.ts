import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeAtomically } from '../io/save.js';

/**
 * Files that training writes beside each model it saves (`model.json` + `weights.bin`), so that a
 * run resumed from that directory continues exactly where the saved one stopped.
 */
export const TRAINING_STATE_JSON = 'training-state.json';
export const TRAINING_STATE_BIN = 'training-state.bin';

const FORMAT = 'face-liveness/training-state@1';

/** The states of a training run's two random streams (see `Rng.state()`). */
export interface RandomState {
  /** Shuffling and augmentation. */
  data: number;
  /** Dropout masks. */
  dropout: number;
}

/** What {@link readTrainingState} restores besides the model's weights. */
export interface TrainingState {
  /** Optimizer steps taken; equals the model's metadata `training.iterations`. */
  iterations: number;
  random: RandomState;
  /** Adam's first moments then second moments, one per trainable weight, in the model's order. */
  moments: tf.Tensor[];
}

interface StateJson {
  format: typeof FORMAT;
  iterations: number;
  random: RandomState;
  specs: tf.io.WeightsManifestEntry[];
}

/** Writes Adam's step and moments and the random streams' states into `dir`, beside the model. */
export async function saveTrainingState(
  dir: string,
  optimizer: tf.AdamOptimizer,
  random: RandomState,
): Promise<void> {
  const [iterations, ...moments] = await optimizer.getWeights();
  try {
    // by position: variable names carry per-process counters
    const { data, specs } = await tf.io.encodeWeights(
      moments.map((w, i) => ({ name: `moment${i}`, tensor: w.tensor })),
    );
    const json: StateJson = {
      format: FORMAT,
      iterations: (await iterations.tensor.data())[0],
      random,
      specs,
    };
    await writeAtomically(join(dir, TRAINING_STATE_BIN), new Uint8Array(data));
    await writeAtomically(join(dir, TRAINING_STATE_JSON), `${JSON.stringify(json)}\n`);
  } finally {
    iterations.tensor.dispose();
  }
}

/**
 * Reads the training state saved beside the model in `dir`, if it belongs to `model` at optimizer
 * step `iterations`: a string says why there is none to use (the caller starts Adam afresh).
 */
export async function readTrainingState(
  dir: string,
  model: tfl.LayersModel,
  iterations: number,
): Promise<TrainingState | string> {
  const jsonPath = join(dir, TRAINING_STATE_JSON);
  if (!existsSync(jsonPath)) return `no ${TRAINING_STATE_JSON} beside the model`;
  let json: StateJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    return `${jsonPath} is not valid JSON (${(error as Error).message})`;
  }
  if (json.format !== FORMAT) return `${jsonPath} is not a ${FORMAT} file`;
  if (json.iterations !== iterations) {
    return `${jsonPath} is from optimizer step ${json.iterations}, the model from step ${iterations}`;
  }
  const shapes = model.trainableWeights.map((w) => w.shape.join('x'));
  const expected = [...shapes, ...shapes].join(',');
  if (json.specs.map((s) => s.shape.join('x')).join(',') !== expected) {
    return `${jsonPath} holds moments of other shapes than the model's trainable weights`;
  }
  const bytes = await readFile(join(dir, TRAINING_STATE_BIN)).catch(() => undefined);
  if (!bytes) return `${join(dir, TRAINING_STATE_BIN)} cannot be read`;
  let decoded: tf.NamedTensorMap;
  try {
    decoded = tf.io.decodeWeights(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      json.specs,
    );
  } catch (error) {
    return `${join(dir, TRAINING_STATE_BIN)} does not match ${jsonPath} (${(error as Error).message})`;
  }
  return { iterations, random: json.random, moments: json.specs.map((s) => decoded[s.name]) };
}

/** Gives `optimizer` the saved step and moments (it must not have taken a step yet). */
export async function restoreOptimizer(optimizer: tf.AdamOptimizer, state: TrainingState): Promise<void> {
  const step = tf.scalar(state.iterations, 'int32');
  try {
    await optimizer.setWeights([
      { name: 'iter', tensor: step },
      ...state.moments.map((tensor, i) => ({ name: `moment${i}`, tensor })),
    ]);
  } finally {
    // the optimizer's variables hold their own references to the data
    tf.dispose([step, ...state.moments]);
  }
}
