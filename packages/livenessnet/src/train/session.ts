import { existsSync, statSync } from 'node:fs';
import { createRng, hashSeed, InvalidInputError, type Rng } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildArchitecture, DEFAULT_ARCHITECTURE } from '../architectures/registry.js';
import { DATASET_CLASSES } from '../dataset.js';
import { loadLivenessModel } from '../io/load.js';
import { saveLivenessModel } from '../io/save.js';
import { defaultMetadata, type LivenessMetadata } from '../metadata.js';
import { DecayedAdam } from './optimizer.js';
import type { TrainCallbacks, TrainOptions, TrainOutputs, TrainSettings } from './options.js';
import {
  readTrainingState,
  restoreOptimizer,
  saveTrainingState,
  type TrainingState,
} from './training-state.js';

/** The model step's result: the model to train and where its training continues from. */
export interface TrainingSession {
  model: tfl.LayersModel;
  /** The metadata it was loaded or built with. */
  metadata: LivenessMetadata;
  resumed: boolean;
  /** The run's seed: given, else the resumed model's, else fresh. */
  seed: number;
  startEpoch: number;
  startIterations: number;
  /** Shuffling and augmentation. */
  rng: Rng;
  /** Dropout masks. */
  dropoutRng: Rng;
  /** Whether the streams continue the saved ones (else they start from `seed`). */
  continued: boolean;
  /** Adam's saved state, until the optimizer takes it; or why a resumed run has none. */
  state?: TrainingState | string;
}

async function openOrBuild(options: TrainOptions, model: string, seed: number) {
  if (existsSync(model)) {
    if (!statSync(model).isDirectory()) {
      throw new InvalidInputError(
        `--model ${model} is a file; training writes a model directory. To fine-tune a Keras model, ` +
          `run \`face-liveness models import-keras ${model} --out DIR\` and train with -m DIR`,
      );
    }
    const loaded = await loadLivenessModel(model);
    const { architecture, inputSize } = loaded.metadata;
    const { width, height } = inputSize;
    if (options.architecture !== undefined && options.architecture !== architecture) {
      loaded.model.dispose();
      throw new InvalidInputError(
        `cannot resume ${model}: it is a ${architecture} model, not the ${options.architecture} ` +
          'asked for (drop --architecture or use another -m)',
      );
    }
    if ((options.width ?? width) !== width || (options.height ?? height) !== height) {
      loaded.model.dispose();
      throw new InvalidInputError(
        `cannot resume ${model}: it takes ${width}x${height} inputs, not the ` +
          `${options.width ?? width}x${options.height ?? height} asked for (drop -w/-he or use another -m)`,
      );
    }
    return { ...loaded, resumed: true };
  }
  const width = options.width ?? 32;
  const height = options.height ?? 32;
  const architecture = options.architecture ?? DEFAULT_ARCHITECTURE;
  return {
    model: buildArchitecture(architecture, { width, height, classes: DATASET_CLASSES.length, seed }),
    metadata: defaultMetadata(architecture, width, height),
    resumed: false,
  };
}

/**
 * The model step: resumes the model directory when it exists (with its saved training state when that
 * belongs to it), else builds the architecture asked for; seeds the run's random streams.
 */
export async function openSession(options: TrainOptions, outputs: TrainOutputs): Promise<TrainingSession> {
  const freshSeed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const { model, metadata, resumed } = await openOrBuild(options, outputs.model, freshSeed);
  try {
    const recordedSeed = resumed ? metadata.training?.seed : undefined;
    const seed = options.seed ?? recordedSeed ?? freshSeed;
    const startIterations = resumed ? (metadata.training?.iterations ?? 0) : 0;
    const state = resumed ? await readTrainingState(outputs.model, model, startIterations) : undefined;
    // Another seed than the recorded one asks for new streams, not for the saved ones.
    const saved = typeof state === 'object' && seed === recordedSeed ? state.random : undefined;
    return {
      model,
      metadata,
      resumed,
      seed,
      startEpoch: resumed ? (metadata.training?.epochs ?? 0) : 0,
      startIterations,
      rng: createRng(saved?.data ?? seed),
      dropoutRng: createRng(saved?.dropout ?? hashSeed(seed, 'dropout')),
      continued: saved !== undefined,
      state,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Compiles the model with Keras 2's decayed Adam, which continues from the saved moments when there are. */
export async function compileSession(
  session: TrainingSession,
  settings: TrainSettings,
  callbacks: TrainCallbacks,
): Promise<DecayedAdam> {
  const { state, startEpoch, startIterations } = session;
  const optimizer = new DecayedAdam(settings.learningRate, settings.decay, startIterations);
  session.model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const resuming = `resuming at epoch ${startEpoch}, step ${startIterations}`;
  if (typeof state === 'object') {
    session.state = undefined;
    await restoreOptimizer(optimizer, state);
    callbacks.onMessage?.(
      `${resuming}: Adam's moments restored, ` +
        (session.continued ? 'random streams continued' : `random streams reseeded with ${session.seed}`),
    );
  } else if (session.resumed) {
    callbacks.onMessage?.(`${resuming}: ${state}; Adam's moments start afresh`);
  }
  return optimizer;
}

/** What the saved models record about their training data. */
export interface TrainingRecordInput {
  /** This run's data, e.g. `train DIR (n real, m fake); validation DIR (...)`. */
  trainedOn: string;
  /** The face-box margin of the training crops. */
  cropMargin?: number;
}

/**
 * Returns the function that saves the model being trained (the final model and each checkpoint) with
 * its metadata and, beside it, its training state: every saved model can be resumed from.
 */
export function sessionSaver(
  session: TrainingSession,
  optimizer: DecayedAdam,
  settings: TrainSettings,
  data: TrainingRecordInput,
): (dir: string, epochs: number) => Promise<LivenessMetadata> {
  const { metadata, resumed, seed } = session;
  const { learningRate, decay, batchSize } = settings;
  // The crop framing is part of the model: inference crops as the training data was cropped.
  const cropMargin = data.cropMargin ?? metadata.preprocessing.cropMargin ?? 0;
  const trainedOn = resumed ? `${metadata.trainedOn}; then ${data.trainedOn}` : data.trainedOn;
  return async (dir, epochs) => {
    const record: LivenessMetadata = {
      ...metadata,
      preprocessing: { ...metadata.preprocessing, cropMargin },
      trainedOn,
      training: { epochs, iterations: optimizer.step, learningRate, decay, batchSize, seed },
    };
    await saveLivenessModel(session.model, dir, record);
    await saveTrainingState(dir, optimizer, {
      data: session.rng.state(),
      dropout: session.dropoutRng.state(),
    });
    return record;
  };
}

/** Frees the model, its optimizer and any saved state the optimizer did not take. */
export function closeSession(session: TrainingSession): void {
  if (typeof session.state === 'object') tf.dispose(session.state.moments);
  session.model.dispose();
  (session.model.optimizer as tf.Optimizer | undefined)?.dispose();
}
