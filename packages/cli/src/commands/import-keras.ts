import { resolve } from 'node:path';
import type { Command } from 'commander';
import { threshold } from '../options/classifier.js';
import { force } from '../options/conversion.js';
import { addFlags } from '../options/flag.js';
import { channelOrder, classes, type ImportFlags, importKeras, install } from '../options/keras-import.js';
import { out } from '../options/output.js';

/**
 * Adds `import-keras` to the `models` command group: the original's Keras HDF5 LivenessNet
 * (e.g. liveness.model) to a model directory, or into the store.
 */
export function addImportKerasCommand(models: Command): void {
  const cmd = models
    .command('import-keras')
    .description('Import a Keras HDF5 LivenessNet (the original liveness.model) as a model directory')
    .argument('<file>', 'Keras .h5 model file');
  addFlags(cmd, [
    out('dir', 'model directory to write (model.json + weights.bin)'),
    install(),
    force(),
    channelOrder(),
    classes(),
    threshold(),
  ]).action(async (file: string, flags: ImportFlags) => {
    const { dir, storeName, metadata } = await importKeras(file, flags);
    const { width, height } = metadata.inputSize;
    process.stdout.write(
      `imported ${resolve(file)} -> ${dir}${storeName ? ` (store name ${storeName})` : ''}: ` +
        `${metadata.architecture}, ${width}x${height} ${metadata.channelOrder}, classes ${metadata.classNames.join(',')}\n`,
    );
  });
}
