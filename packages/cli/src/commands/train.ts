import { train } from '@face-liveness/livenessnet/train';
import type { Command } from 'commander';
import { margin } from '../options/classifier.js';
import {
  confidence,
  type DetectorFlags,
  detect,
  detectorKind,
  detectorModel,
  openDetector,
} from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { strict, trainDataset, valDataset } from '../options/input.js';
import { backend, height, inputSize, type ModelFlags, model, width } from '../options/model.js';
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
import { trainingProgress } from '../print/training-progress.js';

interface TrainFlags extends ModelFlags, DetectorFlags {
  trainDataset: string;
  valDataset: string;
  model: string;
  plot?: string;
  evaluationResult?: string;
  lr: number;
  decay?: number;
  batchSize: number;
  epochs: number;
  checkpointPath?: string;
  seed?: number;
  patience: number;
  strict?: boolean;
  augment: boolean;
  architecture?: string;
  detect?: boolean;
  margin?: number;
}

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
  ]).action(async (flags: TrainFlags) => {
    const size = inputSize(flags);
    const detector = flags.detect ? await openDetector(flags) : undefined;
    const progress = trainingProgress();
    try {
      const result = await train({
        trainDir: flags.trainDataset,
        valDir: flags.valDataset,
        modelPath: flags.model,
        plotPath: flags.plot,
        evaluationPath: flags.evaluationResult,
        checkpointDir: flags.checkpointPath,
        learningRate: flags.lr,
        decay: flags.decay,
        batchSize: flags.batchSize,
        epochs: flags.epochs,
        width: size?.width,
        height: size?.height,
        seed: flags.seed,
        patience: flags.patience,
        augment: flags.augment ? {} : false,
        architecture: flags.architecture,
        backend: flags.backend,
        detector,
        margin: flags.margin,
        onError: flags.strict ? 'fail' : 'skip',
        callbacks: progress,
      });
      process.stdout.write(
        `${result.stoppedEarly ? 'stopped early; ' : ''}model ${result.modelPath}, checkpoints ${result.checkpoints.bestLoss} ` +
          `and ${result.checkpoints.bestAcc}, plot ${result.plotPath}, reports ${result.evaluationPath}` +
          `${result.skipped.length ? `, ${result.skipped.length} images skipped` : ''}\n`,
      );
    } finally {
      progress.stop();
      await detector?.close();
    }
  });
}
