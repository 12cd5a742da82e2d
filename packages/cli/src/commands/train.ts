import type { Command } from 'commander';
import { margin } from '../options/classifier.js';
import { confidence, detect, detectorKind, detectorModel } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { strict, trainDataset, valDataset } from '../options/input.js';
import { backend, height, model, width } from '../options/model.js';
import { evaluationResult, verbose } from '../options/output.js';
import {
  architecture,
  batchSize,
  checkpointPath,
  decay,
  epochs,
  learningRate,
  noAugment,
  patience,
  plot,
  seed,
} from '../options/training.js';
import { lazy } from './lazy.js';

/** `face-liveness train`: the original train_liveness.py, same flags and defaults, but nothing written into the current directory unasked. */
export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description(
      'Train LivenessNet on folders of face crops (real/ and fake/), as the original train_liveness.py; ' +
        'the plot, reports and checkpoints go into the model directory unless told otherwise',
    );
  addFlags(cmd, [
    trainDataset(),
    valDataset(),
    model('train'),
    plot(),
    evaluationResult('result.txt in the model directory'),
    checkpointPath(),
    learningRate(),
    decay(),
    batchSize(8),
    epochs(),
    width(),
    height(),
    seed(),
    patience(),
    noAugment(),
    architecture(),
    backend(),
    strict(),
    detect(),
    detectorKind(),
    detectorModel(),
    confidence(),
    margin(),
    verbose(),
  ]).action(lazy(() => import('../actions/train.js')));
}
