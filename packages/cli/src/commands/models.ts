import { resolve } from 'node:path';
import type { ModelEntry } from '@face-liveness/core';
import { InvalidInputError, ModelStore } from '@face-liveness/core';
import { installBlazeFace, installRes10 } from '@face-liveness/face-detector/convert';
import type { Command } from 'commander';
import {
  calibration,
  convertOptions,
  convertRes10,
  force,
  fromUrl,
  namesRes10Files,
  RES10_SOURCES,
  type Res10SourceFlags,
  res10Files,
  res10Sources,
} from '../options/conversion.js';
import { int8 } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { out } from '../options/output.js';
import { addImportKerasCommand } from './import-keras.js';
import { addStoreCommands } from './models-verify.js';

/** Installers by model name; each takes the parsed flags of `models install`. */
const installers: Record<
  string,
  (flags: Res10SourceFlags & { fromUrl?: boolean }, store: ModelStore) => Promise<ModelEntry>
> = {
  res10: (flags, store) =>
    installRes10(flags.fromUrl ? { from: 'url' } : res10Files(flags), store, convertOptions(flags)),
  // Convert the .tflite files npm installed with @mediapipe/face_detection: no files, no download.
  blazeface: (_flags, store) => installBlazeFace(store, 'short'),
  'blazeface-full': (_flags, store) => installBlazeFace(store, 'full'),
};

function describeEntry(entry: ModelEntry, store: ModelStore): string {
  return `${entry.name}\t${resolve(store.dir, entry.file)}\tsha256 ${entry.sha256.slice(0, 16)}…\t${entry.installedAt}\t${entry.source}`;
}

/** `face-liveness models convert|install|list|verify|remove|import-keras`: the model files this tool runs. */
export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description(
      'Convert, install, list and verify the models (store: $FACE_LIVENESS_HOME or ~/.cache/face-liveness)',
    );

  const convert = models
    .command('convert')
    .description('Convert OpenCV res10 face detector files (TensorFlow or Caffe) to ONNX');
  addFlags(convert, [
    ...res10Sources(),
    int8(),
    calibration(),
    out('file', 'the .onnx file to write').makeOptionMandatory(),
    force(),
  ]).action(async (flags: Res10SourceFlags & { out: string; force?: boolean }) => {
    const { file, bytes } = await convertRes10(flags);
    process.stdout.write(`wrote ${file} (${(bytes / 1e6).toFixed(1)} MB)\n`);
  });

  const install = models
    .command('install')
    .description(`Convert a model into the store. Models: ${Object.keys(installers).join(', ')}`)
    .argument('<name>', `model to install: ${Object.keys(installers).join(', ')}`);
  addFlags(install, [...res10Sources(), int8(), calibration(), fromUrl()]).action(
    async (name: string, flags: Res10SourceFlags & { fromUrl?: boolean }) => {
      const installer = installers[name];
      if (!installer) {
        throw new InvalidInputError(
          `unknown model "${name}"; installable: ${Object.keys(installers).join(', ')}`,
        );
      }
      if (name === 'res10' && !flags.fromUrl && !namesRes10Files(flags)) {
        throw new InvalidInputError(`models install res10: ${RES10_SOURCES}; or, when online, --from-url`);
      }
      const store = new ModelStore();
      process.stdout.write(`installed ${describeEntry(await installer(flags, store), store)}\n`);
    },
  );

  addImportKerasCommand(models);

  models
    .command('list')
    .description('List the installed models')
    .action(async () => {
      const store = new ModelStore();
      const entries = await store.list();
      if (entries.length === 0) {
        process.stdout.write(
          `no models installed in ${store.dir}; run \`face-liveness models install res10 ...\` ` +
            '(BlazeFace needs nothing: it ships with the face-detector package)\n',
        );
        return;
      }
      for (const entry of entries) process.stdout.write(`${describeEntry(entry, store)}\n`);
    });

  addStoreCommands(models);
}
