import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ModelEntry } from '@face-liveness/core';
import { InvalidInputError, ModelStore } from '@face-liveness/core';
import {
  convertRes10Files,
  installBlazeFace,
  installRes10,
  type Res10ConvertOptions,
  type Res10Files,
} from '@face-liveness/face-detector/convert';
import type { Command } from 'commander';
import { addImportKerasCommand } from './import-keras.js';

interface SourceOptions {
  int8?: boolean;
  calibration?: string;
  from?: string;
  pb?: string;
  pbtxt?: string;
  prototxt?: string;
  caffemodel?: string;
}

const RES10_SOURCES =
  'pass --pb opencv_face_detector_uint8.pb --pbtxt opencv_face_detector.pbtxt (TensorFlow form), or ' +
  '--prototxt deploy.prototxt --caffemodel res10_300x300_ssd_iter_140000.caffemodel (Caffe form)';

/** Which form the options describe; `--from` may be given or inferred from the files passed. */
function res10Files(options: SourceOptions): Res10Files {
  const tf = options.pb !== undefined || options.pbtxt !== undefined;
  const caffe = options.prototxt !== undefined || options.caffemodel !== undefined;
  const from = options.from ?? (tf && !caffe ? 'tensorflow' : caffe && !tf ? 'caffe' : undefined);
  if (from === 'tensorflow') {
    if (!options.pb || !options.pbtxt)
      throw new InvalidInputError(`--from tensorflow needs both --pb FILE and --pbtxt FILE`);
    return { from, pb: options.pb, pbtxt: options.pbtxt };
  }
  if (from === 'caffe') {
    if (!options.prototxt || !options.caffemodel) {
      throw new InvalidInputError(`--from caffe needs both --prototxt FILE and --caffemodel FILE`);
    }
    return { from, prototxt: options.prototxt, caffemodel: options.caffemodel };
  }
  if (options.from !== undefined)
    throw new InvalidInputError(`--from "${options.from}" is not one of tensorflow, caffe`);
  throw new InvalidInputError(`which files to convert? ${RES10_SOURCES}`);
}

function sourceOptions(command: Command): Command {
  return command
    .option('--from <format>', 'tensorflow or caffe (inferred from the files given)')
    .option('--pb <file>', 'TensorFlow weights, opencv_face_detector_uint8.pb')
    .option('--pbtxt <file>', 'TensorFlow text graph, opencv_face_detector.pbtxt')
    .option('--prototxt <file>', 'Caffe network, deploy.prototxt')
    .option('--caffemodel <file>', 'Caffe weights, res10_300x300_ssd_iter_140000.caffemodel')
    .option('--int8', 'quantise to int8 (about 2x faster; needs --calibration)', false)
    .option('--calibration <dir>', 'images like the ones to detect in (up to 32 used) to calibrate --int8');
}

/** `--int8 --calibration DIR` as conversion options. */
function convertOptions(options: { int8?: boolean; calibration?: string }): Res10ConvertOptions {
  if (options.int8 && !options.calibration) {
    throw new InvalidInputError(
      '--int8 needs --calibration DIR: a folder of images like those you will detect in',
    );
  }
  if (options.calibration && !options.int8)
    throw new InvalidInputError('--calibration is only used with --int8');
  return options.int8 ? { int8Calibration: options.calibration } : {};
}

/** Installers by model name; each takes the parsed options of `models install`. */
const installers: Record<
  string,
  (options: SourceOptions & { fromUrl?: boolean }, store: ModelStore) => Promise<ModelEntry>
> = {
  res10: (options, store) =>
    installRes10(options.fromUrl ? { from: 'url' } : res10Files(options), store, convertOptions(options)),
  // Convert the .tflite files npm installed with @mediapipe/face_detection: no files, no download.
  blazeface: (_options, store) => installBlazeFace(store, 'short'),
  'blazeface-full': (_options, store) => installBlazeFace(store, 'full'),
};

function describeEntry(entry: ModelEntry, store: ModelStore): string {
  return `${entry.name}\t${resolve(store.dir, entry.file)}\tsha256 ${entry.sha256.slice(0, 16)}…\t${entry.installedAt}\t${entry.source}`;
}

/** `face-liveness models convert|install|list`: the model files this tool runs. */
export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description(
      'Convert, install and list the models (store: $FACE_LIVENESS_HOME or ~/.cache/face-liveness)',
    );

  sourceOptions(
    models
      .command('convert')
      .description('Convert OpenCV res10 face detector files (TensorFlow or Caffe) to ONNX'),
  )
    .requiredOption('-o, --out <file>', 'the .onnx file to write')
    .option('-f, --force', 'overwrite --out if it exists', false)
    .action(async (options: SourceOptions & { out: string; force: boolean }) => {
      const out = resolve(options.out);
      if (existsSync(out) && !options.force)
        throw new InvalidInputError(`${out} exists; pass --force to overwrite it`);
      const bytes = await convertRes10Files(res10Files(options), convertOptions(options));
      await mkdir(dirname(out), { recursive: true });
      await writeFile(`${out}.partial`, bytes);
      await rename(`${out}.partial`, out);
      process.stdout.write(`wrote ${out} (${(bytes.length / 1e6).toFixed(1)} MB)\n`);
    });

  sourceOptions(
    models
      .command('install')
      .description(`Convert a model into the store. Models: ${Object.keys(installers).join(', ')}`)
      .argument('<name>', `model to install: ${Object.keys(installers).join(', ')}`),
  )
    .option(
      '--from-url',
      "download OpenCV's published files (checked by hash) instead of using local files",
      false,
    )
    .action(async (name: string, options: SourceOptions & { fromUrl: boolean }) => {
      const install = installers[name];
      if (!install)
        throw new InvalidInputError(
          `unknown model "${name}"; installable: ${Object.keys(installers).join(', ')}`,
        );
      const hasFiles = [options.pb, options.pbtxt, options.prototxt, options.caffemodel].some(
        (f) => f !== undefined,
      );
      if (name === 'res10' && !options.fromUrl && !hasFiles) {
        throw new InvalidInputError(`models install res10: ${RES10_SOURCES}; or, when online, --from-url`);
      }
      const store = new ModelStore();
      const entry = await install(options, store);
      process.stdout.write(`installed ${describeEntry(entry, store)}\n`);
    });

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
            '(BlazeFace needs nothing: it is converted from npm on first use)\n',
        );
        return;
      }
      for (const entry of entries) process.stdout.write(`${describeEntry(entry, store)}\n`);
    });
}
