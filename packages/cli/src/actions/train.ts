import { train } from '@face-liveness/livenessnet/train';
import { type DetectorFlags, openDetector } from '../options/detector.js';
import { inputSize, type ModelFlags } from '../options/model.js';
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

export async function action(flags: TrainFlags): Promise<void> {
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
}
