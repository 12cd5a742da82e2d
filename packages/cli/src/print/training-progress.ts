import { describeBackend } from '@face-liveness/livenessnet';
import type { EpochLog, TrainCallbacks } from '@face-liveness/livenessnet/train';
import { SingleBar } from 'cli-progress';

function epochLine(log: EpochLog, epochs: number): string {
  return (
    `epoch ${log.epoch}/${epochs} - ${log.seconds.toFixed(1)}s - loss: ${log.loss.toFixed(4)} - acc: ${log.acc.toFixed(4)}` +
    ` - val_loss: ${log.val_loss.toFixed(4)} - val_acc: ${log.val_acc.toFixed(4)} - lr: ${log.learningRate.toExponential(3)}\n`
  );
}

/**
 * Training progress on stderr: bars while reading images and per epoch on a terminal, one line per
 * epoch (Keras-like) always, skipped images as warnings; the reports go to stdout.
 */
export function trainingProgress(): TrainCallbacks & { stop(): void } {
  const tty = process.stderr.isTTY;
  let bar: SingleBar | undefined;
  let epochs = 0;
  let announced = false;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stop,
    onSkip: (s) => process.stderr.write(`warning: skipped ${s.path}: ${s.reason}\n`),
    onLoadProgress: (which, done, total) => {
      if (done === 1) {
        stop();
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
        stop();
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
      stop();
      process.stderr.write(epochLine(log, epochs));
    },
    onMessage: (text) => process.stdout.write(`${text}\n`),
  };
}
