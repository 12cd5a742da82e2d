// Trains one variant through the package's train() (what `face-liveness train` runs) on a folder made
// by prepare.mjs, dev as the validation set (early stopping and checkpoints look at dev only).
//   node experiments/train-run.mjs --data DIR --run DIR [--architecture livenessnet-v1] [--size 32]
//        [--epochs 20] [--batch 32] [--lr 1e-3] [--patience 6] [--seed 1] [--no-augment]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { train } from '@face-liveness/livenessnet/train';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    run: { type: 'string' },
    architecture: { type: 'string', default: 'livenessnet-v1' },
    size: { type: 'string', default: '32' },
    epochs: { type: 'string', default: '20' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string', default: '1e-3' },
    patience: { type: 'string', default: '6' },
    seed: { type: 'string', default: '1' },
    'no-augment': { type: 'boolean', default: false },
  },
});
mkdirSync(args.run, { recursive: true });
const size = Number(args.size);
const started = Date.now();
const result = await train({
  trainDir: join(args.data, 'train'),
  valDir: join(args.data, 'dev'),
  modelPath: join(args.run, 'model'),
  plotPath: join(args.run, 'plot.png'),
  evaluationPath: join(args.run, 'result.txt'),
  checkpointDir: join(args.run, 'checkpoints'),
  architecture: args.architecture,
  width: size,
  height: size,
  epochs: Number(args.epochs),
  batchSize: Number(args.batch),
  learningRate: Number(args.lr),
  patience: Number(args.patience),
  seed: Number(args.seed),
  augment: args['no-augment'] ? false : undefined,
  backend: 'wasm',
  callbacks: {
    onEpochEnd: (l) =>
      process.stdout.write(
        `epoch ${l.epoch} loss ${l.loss.toFixed(4)} acc ${l.acc.toFixed(3)} val_loss ${l.val_loss.toFixed(4)} val_acc ${l.val_acc.toFixed(3)} ${l.seconds.toFixed(0)}s\n`,
      ),
    onMessage: (m) => process.stdout.write(`${m}\n`),
  },
});
writeFileSync(
  join(args.run, 'run.json'),
  `${JSON.stringify({ args, minutes: (Date.now() - started) / 60000, logs: result.logs, stoppedEarly: result.stoppedEarly }, null, 2)}\n`,
);
