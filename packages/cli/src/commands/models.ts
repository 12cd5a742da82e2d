import type { Command } from 'commander';
import { threshold } from '../options/classifier.js';
import { calibration, force, fromUrl, res10Sources } from '../options/conversion.js';
import { int8 } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { channelOrder, classes, install } from '../options/keras-import.js';
import { INSTALLABLE_MODELS } from '../options/names.js';
import { out } from '../options/output.js';

const models = () => import('../actions/models.js');

/** `face-liveness models convert|install|list|verify|remove|import-keras`: the model files this tool runs. */
export function registerModels(program: Command): void {
  const group = program
    .command('models')
    .description(
      'Convert, install, list and verify the models (store: $FACE_LIVENESS_HOME or ~/.cache/face-liveness)',
    );

  const convert = group
    .command('convert')
    .description('Convert OpenCV res10 face detector files (TensorFlow or Caffe) to ONNX');
  addFlags(convert, [
    ...res10Sources(),
    int8(),
    calibration(),
    out('file', 'the .onnx file to write').makeOptionMandatory(),
    force(),
  ]).action(async (flags) => (await models()).convert(flags));

  const installable = INSTALLABLE_MODELS.join(', ');
  const installCmd = group
    .command('install')
    .description(`Convert a model into the store. Models: ${installable}`)
    .argument('<name>', `model to install: ${installable}`);
  addFlags(installCmd, [...res10Sources(), int8(), calibration(), fromUrl()]).action(
    async (name: string, flags) => (await models()).install(name, flags),
  );

  // The original's Keras HDF5 LivenessNet (e.g. liveness.model) to a model directory, or into the store.
  const importKeras = group
    .command('import-keras')
    .description('Import a Keras HDF5 LivenessNet (the original liveness.model) as a model directory')
    .argument('<file>', 'Keras .h5 model file');
  addFlags(importKeras, [
    out('dir', 'model directory to write (model.json + weights.bin)'),
    install(),
    force(),
    channelOrder(),
    classes(),
    threshold(),
  ]).action(async (file: string, flags) => (await import('../actions/import-keras.js')).action(file, flags));

  group
    .command('list')
    .description('List the installed models')
    .action(async () => (await models()).list());

  group
    .command('verify')
    .description('Check that the installed models are intact (sha256 of every file, read again)')
    .argument('[names...]', 'models to check (default: all)')
    .action(async (names: string[]) => (await models()).verify(names));

  group
    .command('remove')
    .description('Forget installed models (their files stay in the store directory)')
    .argument('<names...>', 'models to forget')
    .action(async (names: string[]) => (await models()).remove(names));
}
