import { join, resolve } from 'node:path';
import { InvalidInputError } from '@face-liveness/core';
import type { BackendName } from '../backend/index.js';
import type { ClassificationReport } from '../classification-report.js';
import type { CropSourceOptions, SkippedImage } from '../dataset.js';
import type { LivenessMetadata } from '../metadata.js';
import type { History } from '../plot.js';
import type { AugmentOptions } from './augment.js';

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

/**
 * The original train_liveness.py's options and defaults, except where it writes: the plot, the
 * reports and the checkpoints go where they are told, else into the model directory, never into the
 * current directory.
 */
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
  /** `-p`: loss/accuracy plot PNG. Default `<modelPath>/plot.png`. */
  plotPath?: string;
  /** `-ev`: classification reports are appended here. Default `<modelPath>/result.txt`. */
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
  /** `-ckpt`: `best_loss/` and `best_acc/` go here. Default `<modelPath>/checkpoints/`. */
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
  evaluationPath: string;
  checkpoints: { bestLoss: string; bestAcc: string };
  skipped: SkippedImage[];
  metadata: LivenessMetadata;
}

/** The numeric options with their defaults, checked. */
export interface TrainSettings {
  learningRate: number;
  decay: number;
  batchSize: number;
  epochs: number;
  patience: number;
}

export function trainSettings(options: TrainOptions): TrainSettings {
  const { learningRate = 1e-4, batchSize = 8, epochs = 50, patience = 10 } = options;
  for (const [name, value] of Object.entries({ learningRate, batchSize, epochs, patience })) {
    if (!(value > 0) || (name !== 'learningRate' && !Number.isInteger(value))) {
      throw new InvalidInputError(
        `${name} must be a positive ${name === 'learningRate' ? 'number' : 'integer'}, got ${value}`,
      );
    }
  }
  const decay = options.decay ?? learningRate / epochs;
  if (!(decay >= 0)) throw new InvalidInputError(`decay must be a number >= 0, got ${decay}`);
  return { learningRate, decay, batchSize, epochs, patience };
}

/** Every path training writes, absolute. */
export interface TrainOutputs {
  model: string;
  plot: string;
  evaluation: string;
  checkpoints: { bestLoss: string; bestAcc: string };
}

/** The paths given, else the documented defaults inside the model directory. */
export function trainOutputs(options: TrainOptions): TrainOutputs {
  const model = resolve(options.modelPath);
  const checkpointDir = resolve(options.checkpointDir ?? join(model, 'checkpoints'));
  return {
    model,
    plot: resolve(options.plotPath ?? join(model, 'plot.png')),
    evaluation: resolve(options.evaluationPath ?? join(model, 'result.txt')),
    checkpoints: { bestLoss: join(checkpointDir, 'best_loss'), bestAcc: join(checkpointDir, 'best_acc') },
  };
}
