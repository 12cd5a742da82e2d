import { InvalidInputError } from '@face-liveness/core';
import { describeBackend } from '@face-liveness/livenessnet';
import type { EpochLog } from '@face-liveness/livenessnet/train';
import { architectures, DEFAULT_ARCHITECTURE, train } from '@face-liveness/livenessnet/train';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { addCropOptions, type CropFlags, openDetector } from './liveness-options.js';
import { number } from './pipeline-options.js';

interface TrainFlags extends CropFlags {
  trainDataset: string;
  valDataset: string;
  model: string;
  plot?: string;
  evaluationResult?: string;
  lr: number;
  decay?: number;
  batchSize: number;
  epochs: number;
  width?: number;
  height?: number;
  checkpointPath?: string;
  seed?: number;
  patience: number;
  strict?: boolean;
  augment: boolean;
  architecture?: string;
}

function architecture(value: string): string {
  if (!Object.hasOwn(architectures, value)) {
    throw new InvalidInputError(
      `--architecture must be one of ${Object.keys(architectures).join(', ')}, got '${value}'`,
    );
  }
  return value;
}

function epochLine(log: EpochLog, epochs: number): string {
  return (
    `epoch ${log.epoch}/${epochs} - ${log.seconds.toFixed(1)}s - loss: ${log.loss.toFixed(4)} - acc: ${log.acc.toFixed(4)}` +
    ` - val_loss: ${log.val_loss.toFixed(4)} - val_acc: ${log.val_acc.toFixed(4)} - lr: ${log.learningRate.toExponential(3)}\n`
  );
}

/** `face-liveness train`: the original train_liveness.py, same flags and defaults. */
export function registerTrain(program: Command): void {
  addCropOptions(
    program
      .command('train')
      .description(
        'Train LivenessNet on folders of face crops (real/ and fake/), as the original train_liveness.py',
      )
      .requiredOption(
        '-d, --train-dataset <dir>',
        'training data: real/ and fake/ subfolders (nested folders allowed)',
      )
      .requiredOption('--dv, --val-dataset <dir>', 'validation data, same layout (-dv as in the original)')
      .requiredOption(
        '-m, --model <dir>',
        'model directory to write; training resumes from it when it exists (Adam and the random streams ' +
          'continue from the training state saved with it)',
      ),
  )
    .option('-p, --plot <png>', 'loss/accuracy plot (default: MODEL/plot.png)')
    .option(
      '--ev, --evaluation-result <file>',
      'classification reports are appended here (-ev; default: MODEL/result.txt)',
    )
    .option('-r, --lr <rate>', 'initial learning rate (Adam, decay lr/epochs)', number('--lr'), 1e-4)
    .option(
      '--decay <rate>',
      'learning-rate decay per step, lr / (1 + decay * step) (default lr/epochs; when resuming, pass the ' +
        'decay the model was trained with to continue its schedule)',
      number('--decay'),
    )
    .option('-b, --batch-size <n>', 'batch size (--bs)', number('--batch-size', true), 8)
    .option('-e, --epochs <n>', 'epochs (more epochs when resuming)', number('--epochs', true), 50)
    .option(
      '-w, --width <px>',
      'model input width (default 32, or the resumed model’s)',
      number('--width', true),
    )
    .option(
      '--he, --height <px>',
      'model input height (-he; default 32, or the resumed model’s)',
      number('--height', true),
    )
    .option(
      '--ckpt, --checkpoint-path <dir>',
      'best_loss/ and best_acc/ checkpoints go here (-ckpt; default: MODEL/checkpoints/)',
    )
    .option(
      '--seed <n>',
      'seed of weight init, shuffling, augmentation and dropout (reproducible runs)',
      number('--seed', true),
    )
    .option('--patience <epochs>', 'early stopping patience on val_loss', number('--patience', true), 10)
    .option(
      '--strict',
      'stop at the first unreadable image or frame without a face (default: skip it with a warning)',
    )
    .option('--no-augment', 'train without the random rotation/zoom/shift/shear/flip')
    .option(
      '--architecture <name>',
      `network of a new model: ${Object.keys(architectures).join(', ')} (default ${DEFAULT_ARCHITECTURE}, ` +
        'the original LivenessNet; v2 was made for -w 64 --he 64); a resumed model keeps its own',
      architecture,
    )
    .action(async (flags: TrainFlags) => {
      const detector = await openDetector(flags);
      let bar: SingleBar | undefined;
      let epochs = flags.epochs;
      let announced = false;
      const tty = process.stderr.isTTY;
      try {
        const result = await train({
          trainDir: flags.trainDataset,
          valDir: flags.valDataset,
          modelPath: flags.model,
          plotPath: flags.plot,
          evaluationPath: flags.evaluationResult,
          learningRate: flags.lr,
          decay: flags.decay,
          batchSize: flags.batchSize,
          epochs: flags.epochs,
          width: flags.width,
          height: flags.height,
          checkpointDir: flags.checkpointPath,
          seed: flags.seed,
          patience: flags.patience,
          augment: flags.augment ? {} : false,
          architecture: flags.architecture,
          detector,
          margin: flags.margin,
          onError: flags.strict ? 'fail' : 'skip',
          backend: flags.backend,
          callbacks: {
            onSkip: (s) => process.stderr.write(`warning: skipped ${s.path}: ${s.reason}\n`),
            onLoadProgress: (which, done, total) => {
              if (done === 1) {
                bar?.stop();
                bar = tty
                  ? new SingleBar({
                      format: `reading ${which} images {bar} {value}/{total} | ETA {eta_formatted}`,
                      hideCursor: true,
                    })
                  : undefined;
                bar?.start(total, 0);
              }
              bar?.update(done);
              if (done === total) {
                bar?.stop();
                bar = undefined;
                process.stderr.write(`read ${total} ${which} images\n`);
              }
            },
            onEpochBegin: (epoch, total, batches) => {
              if (!announced) process.stderr.write(`training on ${describeBackend()}\n`);
              announced = true;
              epochs = total;
              if (!tty) return;
              bar = new SingleBar({
                format: `epoch ${epoch}/${total} {bar} {value}/{total} batches | loss {loss} acc {acc} | ETA {eta_formatted}`,
                hideCursor: true,
                etaBuffer: 20,
              });
              bar.start(batches, 0, { loss: '-', acc: '-' });
            },
            onBatchEnd: (batch, running) =>
              bar?.update(batch, { loss: running.loss.toFixed(4), acc: running.acc.toFixed(4) }),
            onEpochEnd: (log) => {
              bar?.stop();
              bar = undefined;
              process.stderr.write(epochLine(log, epochs));
            },
            onMessage: (text) => process.stdout.write(`${text}\n`),
          },
        });
        process.stdout.write(
          `${result.stoppedEarly ? 'stopped early; ' : ''}model ${result.modelPath}, checkpoints ${result.checkpoints.bestLoss} ` +
            `and ${result.checkpoints.bestAcc}, plot ${result.plotPath}, reports ${result.evaluationPath}` +
            `${result.skipped.length ? `, ${result.skipped.length} images skipped` : ''}\n`,
        );
      } finally {
        bar?.stop();
        await detector?.close();
      }
    });
}
