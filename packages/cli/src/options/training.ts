import { Flag, INTEGER, NON_NEGATIVE, POSITIVE, POSITIVE_INTEGER } from './flag.js';
import { ARCHITECTURES, DEFAULT_ARCHITECTURE } from './names.js';

const GROUP = 'Training:';
const flag = (flags: string, description: string, originals?: string[]) =>
  new Flag(flags, description, originals).helpGroup(GROUP);

/** train: `-p` as in the original train_liveness.py (demo's `-p` is its shape predictor). */
export const plot = () =>
  flag('-p, --plot <png>', 'loss/accuracy plot to write (default: plot.png in the model directory)');

export const checkpointPath = () =>
  flag(
    '--checkpoint-path <dir>',
    'best_loss/ and best_acc/ checkpoints go here (default: checkpoints/ in the model directory)',
    ['-ckpt', '--ckpt', '--checkpoint_path'],
  );

export const learningRate = () =>
  flag('-r, --lr <rate>', 'initial learning rate (Adam, decay lr/epochs)').number(POSITIVE).default(1e-4);

export const decay = () =>
  flag(
    '--decay <rate>',
    'learning-rate decay per step, lr / (1 + decay * step) (default lr/epochs; when resuming, pass the ' +
      'decay the model was trained with to continue its schedule)',
  ).number(NON_NEGATIVE);

/** `n`: 8 for training (the original's), 32 for evaluation. */
export const batchSize = (n: number) =>
  flag('-b, --batch-size <n>', 'images per batch', ['--bs']).number(POSITIVE_INTEGER).default(n);

export const epochs = () =>
  flag('-e, --epochs <n>', 'epochs (more epochs when resuming)').number(POSITIVE_INTEGER).default(50);

export const seed = () =>
  flag(
    '--seed <n>',
    'random seed: the same seed gives the same output (weights, shuffling, augmentation...)',
  ).number(INTEGER);

export const patience = () =>
  flag('--patience <epochs>', 'early stopping patience on val_loss').number(POSITIVE_INTEGER).default(10);

export const noAugment = () =>
  flag('--no-augment', 'train without the random rotation/zoom/shift/shear/flip');

export const architecture = () =>
  flag(
    '--architecture <name>',
    `network of a new model: ${ARCHITECTURES.join(', ')} (default ${DEFAULT_ARCHITECTURE}, ` +
      'the original LivenessNet; v2 was made for -w 64 -he 64); a resumed model keeps its own',
  ).oneOf(ARCHITECTURES);
