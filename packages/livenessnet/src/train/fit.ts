import type { Frame, Rng } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import { DATASET_CLASSES, type LoadedDataset } from '../dataset.js';
import type { History } from '../plot.js';
import { framesToTensor } from '../preprocess.js';
import { type AugmentOptions, randomAugment } from './augment.js';
import type { TrainingData } from './data.js';
import { EpochMonitor } from './monitor.js';
import type { DecayedAdam } from './optimizer.js';
import type { EpochLog, TrainCallbacks, TrainOutputs, TrainSettings } from './options.js';
import type { TrainingSession } from './session.js';

/** What the fit step needs besides the session and the data. */
export interface FitPlan {
  settings: TrainSettings;
  optimizer: DecayedAdam;
  augment: AugmentOptions | false | undefined;
  /** The model's softmax rows on validation crops (its inference pass). */
  predict: (frames: readonly Frame[]) => Promise<Float32Array>;
  checkpoints: TrainOutputs['checkpoints'];
  save: (dir: string, epochs: number) => Promise<unknown>;
  callbacks: TrainCallbacks;
}

/** The fit step's result. */
export interface Fitted {
  history: History;
  logs: EpochLog[];
  stoppedEarly: boolean;
}

const CLIP = 1e-7;
const CLASSES = DATASET_CLASSES.length;

/** Keras' binary cross-entropy and binary accuracy of softmax rows against one-hot labels. */
function lossAndAccuracy(probabilities: Float32Array, labels: Int32Array) {
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let c = 0; c < CLASSES; c++) {
      const p = Math.min(Math.max(probabilities[i * CLASSES + c], CLIP), 1 - CLIP);
      const y = labels[i] === c ? 1 : 0;
      loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
      if ((p > 0.5 ? 1 : 0) === y) hits++;
    }
  }
  const n = labels.length * CLASSES;
  return { loss: loss / n, acc: hits / n };
}

/**
 * tfjs seeds each dropout mask from `Math.random()`; while a batch trains, that comes from the run's
 * own seeded stream, so that a seeded run is reproducible.
 */
async function withRandom<T>(rng: Rng, run: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return await run();
  } finally {
    Math.random = original;
  }
}

function shuffled(count: number, rng: Rng): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** One pass over the training crops in a fresh random order; returns the mean loss and accuracy. */
async function trainEpoch(session: TrainingSession, train: LoadedDataset, plan: FitPlan) {
  const { batchSize } = plan.settings;
  const { model, metadata, rng, dropoutRng } = session;
  const augment =
    plan.augment === false ? (f: Frame) => f : (f: Frame) => randomAugment(f, rng, plan.augment || {});
  const order = shuffled(train.frames.length, rng);
  let lossSum = 0;
  let accSum = 0;
  let seen = 0;
  for (let b = 0; b * batchSize < order.length; b++) {
    const indices = order.slice(b * batchSize, (b + 1) * batchSize);
    const x = framesToTensor(
      indices.map((i) => augment(train.frames[i])),
      metadata,
    );
    const y = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          indices.map((i) => train.labels[i]),
          'int32',
        ),
        CLASSES,
      ),
    );
    try {
      const [loss, acc] = (await withRandom(dropoutRng, () => model.trainOnBatch(x, y))) as number[];
      lossSum += loss * indices.length;
      accSum += acc * indices.length;
      seen += indices.length;
    } finally {
      tf.dispose([x, y]);
    }
    plan.callbacks.onBatchEnd?.(b + 1, { loss: lossSum / seen, acc: accSum / seen });
  }
  return { loss: lossSum / seen, acc: accSum / seen };
}

/**
 * The fit step, as the original's Keras `fit`: epochs of augmented batches, validation after each,
 * the best-val_loss and best-val_acc checkpoints saved, early stopping on val_loss.
 */
export async function fit(session: TrainingSession, data: TrainingData, plan: FitPlan): Promise<Fitted> {
  const { settings, callbacks, checkpoints } = plan;
  const history: History = { loss: [], acc: [], val_loss: [], val_acc: [] };
  const logs: EpochLog[] = [];
  const monitor = new EpochMonitor(settings.patience);
  const batches = Math.ceil(data.train.frames.length / settings.batchSize);
  for (let e = 0; e < settings.epochs; e++) {
    const epoch = session.startEpoch + e + 1;
    const started = Date.now();
    const learningRate = plan.optimizer.currentLearningRate;
    callbacks.onEpochBegin?.(epoch, session.startEpoch + settings.epochs, batches);
    const trained = await trainEpoch(session, data.train, plan);
    const val = lossAndAccuracy(await plan.predict(data.validation.frames), data.validation.labels);
    const log: EpochLog = {
      epoch,
      loss: trained.loss,
      acc: trained.acc,
      val_loss: val.loss,
      val_acc: val.acc,
      learningRate,
      seconds: (Date.now() - started) / 1000,
    };
    logs.push(log);
    for (const key of ['loss', 'acc', 'val_loss', 'val_acc'] as const) history[key].push(log[key]);
    callbacks.onEpochEnd?.(log);
    const { bestLoss, bestAcc } = monitor;
    const decision = monitor.update(val.loss, val.acc);
    if (decision.saveBestLoss) {
      callbacks.onMessage?.(
        `epoch ${epoch}: val_loss improved from ${bestLoss.toFixed(5)} to ${val.loss.toFixed(5)}, saving ${checkpoints.bestLoss}`,
      );
      await plan.save(checkpoints.bestLoss, epoch);
    }
    if (decision.saveBestAcc) {
      callbacks.onMessage?.(
        `epoch ${epoch}: val_acc improved from ${bestAcc.toFixed(5)} to ${val.acc.toFixed(5)}, saving ${checkpoints.bestAcc}`,
      );
      await plan.save(checkpoints.bestAcc, epoch);
    }
    if (decision.stop) {
      callbacks.onMessage?.(
        `epoch ${epoch}: early stopping (val_loss did not improve for ${settings.patience} epochs)`,
      );
      return { history, logs, stoppedEarly: true };
    }
  }
  return { history, logs, stoppedEarly: false };
}
