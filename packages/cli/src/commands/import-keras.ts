import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidInputError, ModelStore, sha256File } from '@face-liveness/core';
import { LIVENESS_MODEL_NAME, selectBackend } from '@face-liveness/livenessnet';
import { importKerasModel, saveLivenessModel } from '@face-liveness/livenessnet/keras';
import type { Command } from 'commander';
import { number } from './pipeline-options.js';

interface ImportFlags {
  out?: string;
  install?: string | boolean;
  force: boolean;
  channelOrder: string;
  classes: string;
  threshold: number;
}

/**
 * Adds `import-keras` to the `models` command group: the original's Keras HDF5 LivenessNet
 * (e.g. liveness.model) to a model directory, or into the store.
 */
export function addImportKerasCommand(models: Command): void {
  models
    .command('import-keras')
    .description('Import a Keras HDF5 LivenessNet (the original liveness.model) as a model directory')
    .argument('<file>', 'Keras .h5 model file')
    .option('-o, --out <dir>', 'model directory to write (model.json + weights.bin)')
    .option('--install [name]', `import into the model store (default name ${LIVENESS_MODEL_NAME})`)
    .option('-f, --force', 'replace --out or the installed model if it exists', false)
    .option('--channel-order <order>', 'channel order the model was trained on: BGR (OpenCV) or RGB', 'BGR')
    .option('--classes <names>', 'labels of the outputs, comma separated (must include real)', 'fake,real')
    .option(
      '--threshold <p>',
      'decision threshold on P(real) stored with the model',
      number('--threshold'),
      0.5,
    )
    .action(async (file: string, flags: ImportFlags) => {
      if ((flags.out === undefined) === (flags.install === undefined)) {
        throw new InvalidInputError('give either --out DIR or --install [NAME]');
      }
      if (flags.channelOrder !== 'BGR' && flags.channelOrder !== 'RGB') {
        throw new InvalidInputError(`--channel-order must be BGR or RGB, got '${flags.channelOrder}'`);
      }
      const store = new ModelStore();
      const name = typeof flags.install === 'string' ? flags.install : LIVENESS_MODEL_NAME;
      const out = flags.out !== undefined ? resolve(flags.out) : join(store.dir, name);
      if (existsSync(out) && !flags.force) {
        throw new InvalidInputError(`${out} exists; pass --force to replace it`);
      }
      await selectBackend();
      const { model, metadata } = await importKerasModel(resolve(file), {
        channelOrder: flags.channelOrder,
        classNames: flags.classes.split(',').map((c) => c.trim()),
        threshold: flags.threshold,
      });
      try {
        await rm(out, { recursive: true, force: true });
        await saveLivenessModel(model, out, metadata);
      } finally {
        model.dispose();
      }
      if (flags.install !== undefined) {
        await store.record({
          name,
          file: name,
          sha256: await sha256File(join(out, 'model.json')),
          source: `converted from ${resolve(file)}`,
          installedAt: new Date().toISOString(),
        });
      }
      const { width, height } = metadata.inputSize;
      process.stdout.write(
        `imported ${resolve(file)} -> ${out}${flags.install !== undefined ? ` (store name ${name})` : ''}: ` +
          `${metadata.architecture}, ${width}x${height} ${metadata.channelOrder}, classes ${metadata.classNames.join(',')}\n`,
      );
    });
}
