import { existsSync, statSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Frame } from '@face-liveness/core';
import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildArchitecture, DEFAULT_ARCHITECTURE } from './architectures.js';
import type { AugmentOptions } from './augment.js';
import { randomAugment } from './augment.js';
import type { BackendName } from './backend/index.js';
import { selectBackend } from './backend/index.js';
import { LivenessClassifier } from './classifier.js';
import type { CropSourceOptions, LoadedDataset, SkippedImage } from './dataset.js';
import { DATASET_CLASSES, loadDataset } from './dataset.js';
import { loadLivenessModel, saveLivenessModel } from './io.js';
import type { LivenessMetadata } from './metadata.js';
import { defaultMetadata } from './metadata.js';
import { EpochMonitor } from './monitor.js';
import { DecayedAdam } from './optimizer.js';
import type { History } from './plot.js';
import { renderTrainingPlot } from './plot.js';
import { framesToTensor } from './preprocess.js';
import type { ClassificationReport } from './report.js';
import { classificationReport, formatClassificationReport } from './report.js';
import type { Rng } from './synth/rng.js';
import { createRng, hashSeed } from './synth/rng.js';
import type { TrainingState } from './training-state.js';
import { readTrainingState, restoreOptimizer, saveTrainingState } from './training-state.js';

/** One epoch's numbers, as Keras logs them. */
export interface EpochLog {
  epoch: number;
  loss: number;
  acc: number;
  val_loss: number;
  val_acc: number;
  learningRate: number;
  seconds: number;
}

/** Progress hooks (the CLI draws its progress bar with them). */
export interface TrainCallbacks {
  onLoadProgress?: (dataset: 'train' | 'validation', done: number, total: number) => void;
  onSkip?: (skipped: SkippedImage) => void;
  onEpochBegin?: (epoch: number, epochs: number, batches: number) => void;
  onBatchEnd?: (batch: number, running: { loss: number; acc: number }) => void;
  onEpochEnd?: (log: EpochLog) => void;
  /** Lines of text worth showing (reports, checkpoint and early-stopping notices). */
  onMessage?: (text: string) => void;
}

/** The original train_liveness.py's options, same defaults. */
export interface TrainOptions extends Pick<CropSourceOptions, 'detector' | 'margin' | 'onError'> {
  /**
   * Face-box margin: crops full frames with `detector`, and is recorded in the model
   * (`preprocessing.cropMargin`) so inference crops alike. For folders of ready crops, pass the
   * margin they were cut with. Default 0 (the original's crops).
   */
  margin?: number;
  /** `-d`: folder with `real/` and `fake/`. */
  trainDir: string;
  /** `-dv`: validation folder with `real/` and `fake/`. */
  valDir: string;
  /**
   * `-m`: model directory to write; when it exists, training resumes from it: the epoch count and
   * optimizer step continue and, when the directory holds the training state saved with it
   * (`training-state.json` + `.bin`), Adam's moments and the random streams too (unless another
   * `seed` is given, which reseeds the streams).
   */
  modelPath: string;
  /** `-p`: loss/accuracy plot PNG. Default `plot.png`. */
  plotPath?: string;
  /** `-ev`: classification reports are appended here. Default `result.txt`. */
  evaluationPath?: string;
  /** `-r`: initial learning rate. Default 1e-4. */
  learningRate?: number;
  /**
   * Time-based decay: step t uses learningRate / (1 + decay * t). Default learningRate / epochs (the
   * original's). Give a resumed run the decay of the run it continues to follow that run's schedule.
   */
  decay?: number;
  /** `-b`: batch size. Default 8. */
  batchSize?: number;
  /** `-e`: epochs (more epochs when resuming). Default 50. */
  epochs?: number;
  /** `-w` / `-he`: model input; default 32 x 32, or the resumed model's own size. */
  width?: number;
  height?: number;
  /** `-ckpt`: `best_loss/` and `best_acc/` go here. Default `./model_checkpoints/`. */
  checkpointDir?: string;
  /** Early stopping patience in epochs on val_loss. Default 10. */
  patience?: number;
  /**
   * Seeds weight initialisation, shuffling, augmentation and dropout: a seeded run is reproducible.
   * Default: random for a new model, the recorded one for a resumed model.
   */
  seed?: number;
  /**
   * Architecture of a new model, a name in `architectures` (`livenessnet-v1`, `livenessnet-v1-hsv`,
   * `livenessnet-v1-ycbcr`, `livenessnet-v2`, `livenessnet-v2-ycbcr`). Default `livenessnet-v1`. A resumed model keeps its own; naming another is an error.
   */
  architecture?: string;
  /** Augmentation of training crops (the original's); `false` to turn it off. */
  augment?: AugmentOptions | false;
  backend?: BackendName;
  callbacks?: TrainCallbacks;
}

/** A classification report of one of the trained models on the validation set. */
export interface ModelReport {
  name: 'last' | 'best_loss' | 'best_acc';
  path: string;
  report: ClassificationReport;
  text: string;
}

export interface TrainResult {
  history: History;
  logs: EpochLog[];
  stoppedEarly: boolean;
  reports: ModelReport[];
  modelPath: string;
  plotPath: string;
  checkpoints: { bestLoss: string; bestAcc: string };
  skipped: SkippedImage[];
  metadata: LivenessMetadata;
}

const CLIP = 1e-7;

/** Keras' binary cross-entropy and binary accuracy of softmax rows against one-hot labels. */
function lossAndAccuracy(probabilities: Float32Array, labels: Int32Array, classes: number) {
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let c = 0; c < classes; c++) {
      const p = Math.min(Math.max(probabilities[i * classes + c], CLIP), 1 - CLIP);
      const y = labels[i] === c ? 1 : 0;
      loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
      if ((p > 0.5 ? 1 : 0) === y) hits++;
    }
  }
  const n = labels.length * classes;
  return { loss: loss / n, acc: hits / n };
}

function argmaxRows(probabilities: Float32Array, classes: number): Int32Array {
  const out = new Int32Array(probabilities.length / classes);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
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

function describeData(name: string, dir: string, data: LoadedDataset): string {
  const count = (label: string) => data.items.filter((item) => item.label === label).length;
  return `${name} ${resolve(dir)} (${count('real')} real, ${count('fake')} fake)`;
}

async function openOrBuild(options: TrainOptions, seed: number) {
  const modelPath = resolve(options.modelPath);
  if (existsSync(modelPath)) {
    if (!statSync(modelPath).isDirectory()) {
      throw new InvalidInputError(
        `--model ${modelPath} is a file; training writes a model directory. To fine-tune a Keras model, ` +
          `run \`face-liveness models import-keras ${modelPath} --out DIR\` and train with -m DIR`,
      );
    }
    const { model, metadata } = await loadLivenessModel(modelPath);
    const { width, height } = metadata.inputSize;
    if (options.architecture !== undefined && options.architecture !== metadata.architecture) {
      model.dispose();
      throw new InvalidInputError(
        `cannot resume ${modelPath}: it is a ${metadata.architecture} model, not the ${options.architecture} ` +
          'asked for (drop --architecture or use another -m)',
      );
    }
    if ((options.width ?? width) !== width || (options.height ?? height) !== height) {
      model.dispose();
      throw new InvalidInputError(
        `cannot resume ${modelPath}: it takes ${width}x${height} inputs, not the ` +
          `${options.width ?? width}x${options.height ?? height} asked for (drop -w/-he or use another -m)`,
      );
    }
    return { model, metadata, resumed: true };
  }
  const width = options.width ?? 32;
  const height = options.height ?? 32;
  const architecture = options.architecture ?? DEFAULT_ARCHITECTURE;
  const model = buildArchitecture(architecture, { width, height, classes: DATASET_CLASSES.length, seed });
  return { model, metadata: defaultMetadata(architecture, width, height), resumed: false };
}

/**
 * Trains LivenessNet as the original train_liveness.py does: augmented training crops, Adam with
 * time-based decay (lr / epochs), binary cross-entropy on the softmax, best-val_loss and
 * best-val_acc checkpoints, early stopping on val_loss; then saves the model, appends the
 * classification reports of the last and both best models to the evaluation file and draws the plot.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const {
    learningRate = 1e-4,
    batchSize = 8,
    epochs = 50,
    patience = 10,
    plotPath = 'plot.png',
    evaluationPath = 'result.txt',
    checkpointDir = './model_checkpoints/',
    callbacks = {},
  } = options;
  for (const [name, value] of Object.entries({ learningRate, batchSize, epochs, patience })) {
    if (!(value > 0) || (name !== 'learningRate' && !Number.isInteger(value))) {
      throw new InvalidInputError(
        `${name} must be a positive ${name === 'learningRate' ? 'number' : 'integer'}, got ${value}`,
      );
    }
  }
  const decay = options.decay ?? learningRate / epochs;
  if (!(decay >= 0)) throw new InvalidInputError(`decay must be a number >= 0, got ${decay}`);
  await selectBackend({ backend: options.backend, training: true });
  const freshSeed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const { model, metadata, resumed } = await openOrBuild(options, freshSeed);
  let state: TrainingState | string | undefined;
  try {
    const recordedSeed = resumed ? metadata.training?.seed : undefined;
    const seed = options.seed ?? recordedSeed ?? freshSeed;
    const startIterations = resumed ? (metadata.training?.iterations ?? 0) : 0;
    if (resumed) state = await readTrainingState(resolve(options.modelPath), model, startIterations);
    const continued = typeof state === 'object' && seed === recordedSeed ? state.random : undefined;
    const rng = createRng(continued?.data ?? seed);
    const dropoutRng = createRng(continued?.dropout ?? hashSeed(seed, 'dropout'));
    const { width, height } = metadata.inputSize;
    const skipped: SkippedImage[] = [];
    const read = (dir: string, which: 'train' | 'validation') =>
      loadDataset(dir, {
        width,
        height,
        detector: options.detector,
        margin: options.margin,
        onError: options.onError,
        decoder: metadata.preprocessing.decoder,
        onSkip: (s) => {
          skipped.push(s);
          callbacks.onSkip?.(s);
        },
        onProgress: (done, total) => callbacks.onLoadProgress?.(which, done, total),
      });
    const trainData = await read(options.trainDir, 'train');
    const valData = await read(options.valDir, 'validation');
    const classes = DATASET_CLASSES.length;
    const startEpoch = resumed ? (metadata.training?.epochs ?? 0) : 0;
    const optimizer = new DecayedAdam(learningRate, decay, startIterations);
    model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    if (typeof state === 'object') {
      await restoreOptimizer(optimizer, state);
      state = undefined;
      callbacks.onMessage?.(
        `resuming at epoch ${startEpoch}, step ${startIterations}: Adam's moments restored, ` +
          (continued ? 'random streams continued' : `random streams reseeded with ${seed}`),
      );
    } else if (resumed) {
      callbacks.onMessage?.(
        `resuming at epoch ${startEpoch}, step ${startIterations}: ${state}; Adam's moments start afresh`,
      );
    }
    const classifier = LivenessClassifier.fromModel(model, metadata, { batchSize: 64 });
    const checkpoints = {
      bestLoss: resolve(checkpointDir, 'best_loss'),
      bestAcc: resolve(checkpointDir, 'best_acc'),
    };
    const augment =
      options.augment === false
        ? (f: Frame) => f
        : (f: Frame) => randomAugment(f, rng, options.augment || {});
    const trainedOn = `${describeData('train', options.trainDir, trainData)}; ${describeData('validation', options.valDir, valData)}`;
    // The crop framing is part of the model: inference crops as the training data was cropped.
    const cropMargin = options.margin ?? metadata.preprocessing.cropMargin ?? 0;
    const record = (epochsDone: number): LivenessMetadata => ({
      ...metadata,
      preprocessing: { ...metadata.preprocessing, cropMargin },
      trainedOn: resumed ? `${metadata.trainedOn}; then ${trainedOn}` : trainedOn,
      training: { epochs: epochsDone, iterations: optimizer.step, learningRate, decay, batchSize, seed },
    });
    // every saved model can be resumed from: its training state goes beside it
    const save = async (dir: string, epochsDone: number) => {
      await saveLivenessModel(model, dir, record(epochsDone));
      await saveTrainingState(dir, optimizer, { data: rng.state(), dropout: dropoutRng.state() });
    };

    const history: History = { loss: [], acc: [], val_loss: [], val_acc: [] };
    const logs: EpochLog[] = [];
    const monitor = new EpochMonitor(patience);
    let stoppedEarly = false;
    const batches = Math.ceil(trainData.frames.length / batchSize);
    for (let e = 0; e < epochs; e++) {
      const epoch = startEpoch + e + 1;
      const started = Date.now();
      const learningRateNow = optimizer.currentLearningRate;
      callbacks.onEpochBegin?.(epoch, startEpoch + epochs, batches);
      const order = shuffled(trainData.frames.length, rng);
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const indices = order.slice(b * batchSize, (b + 1) * batchSize);
        const x = framesToTensor(
          indices.map((i) => augment(trainData.frames[i])),
          metadata,
        );
        const y = tf.tidy(() =>
          tf.oneHot(
            tf.tensor1d(
              Array.from(indices, (i) => trainData.labels[i]),
              'int32',
            ),
            classes,
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
        callbacks.onBatchEnd?.(b + 1, { loss: lossSum / seen, acc: accSum / seen });
      }
      const val = lossAndAccuracy(await classifier.predict(valData.frames), valData.labels, classes);
      const log: EpochLog = {
        epoch,
        loss: lossSum / seen,
        acc: accSum / seen,
        val_loss: val.loss,
        val_acc: val.acc,
        learningRate: learningRateNow,
        seconds: (Date.now() - started) / 1000,
      };
      logs.push(log);
      history.loss.push(log.loss);
      history.acc.push(log.acc);
      history.val_loss.push(log.val_loss);
      history.val_acc.push(log.val_acc);
      callbacks.onEpochEnd?.(log);
      const { bestLoss, bestAcc } = monitor;
      const decision = monitor.update(val.loss, val.acc);
      if (decision.saveBestLoss) {
        callbacks.onMessage?.(
          `epoch ${epoch}: val_loss improved from ${bestLoss.toFixed(5)} to ${val.loss.toFixed(5)}, saving ${checkpoints.bestLoss}`,
        );
        await save(checkpoints.bestLoss, epoch);
      }
      if (decision.saveBestAcc) {
        callbacks.onMessage?.(
          `epoch ${epoch}: val_acc improved from ${bestAcc.toFixed(5)} to ${val.acc.toFixed(5)}, saving ${checkpoints.bestAcc}`,
        );
        await save(checkpoints.bestAcc, epoch);
      }
      stoppedEarly = decision.stop;
      if (stoppedEarly) {
        callbacks.onMessage?.(
          `epoch ${epoch}: early stopping (val_loss did not improve for ${patience} epochs)`,
        );
        break;
      }
    }
    const finalMetadata = record(startEpoch + logs.length);
    const modelPath = resolve(options.modelPath);
    await save(modelPath, startEpoch + logs.length);

    const reports: ModelReport[] = [];
    const reportOn = async (name: ModelReport['name'], path: string, c: LivenessClassifier) => {
      const predicted = argmaxRows(await c.predict(valData.frames), classes);
      const report = classificationReport(valData.labels, predicted, DATASET_CLASSES);
      const text = `${name} model ${path} on ${describeData('validation', options.valDir, valData)}, ${new Date().toISOString()}\n${formatClassificationReport(report, 6)}`;
      reports.push({ name, path, report, text });
      callbacks.onMessage?.(text);
    };
    await reportOn('last', modelPath, classifier);
    for (const [name, path] of [
      ['best_loss', checkpoints.bestLoss],
      ['best_acc', checkpoints.bestAcc],
    ] as const) {
      const best = await LivenessClassifier.load(path, { backend: options.backend });
      try {
        await reportOn(name, path, best);
      } finally {
        await best.close();
      }
    }
    await mkdir(dirname(resolve(evaluationPath)), { recursive: true });
    await appendFile(evaluationPath, `${reports.map((r) => r.text).join('\n')}\n`);
    await mkdir(dirname(resolve(plotPath)), { recursive: true });
    await writeFile(plotPath, await renderTrainingPlot(history));
    return {
      history,
      logs,
      stoppedEarly,
      reports,
      modelPath,
      plotPath: resolve(plotPath),
      checkpoints,
      skipped,
      metadata: finalMetadata,
    };
  } finally {
    if (typeof state === 'object') tf.dispose(state.moments);
    model.dispose();
    (model.optimizer as tf.Optimizer | undefined)?.dispose();
  }
}
