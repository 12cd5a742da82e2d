import type { BackendName } from '@face-liveness/livenessnet';
import { Flag, FlagError, POSITIVE_INTEGER } from './flag.js';

const GROUP = 'LivenessNet model:';
const flag = (flags: string, description: string, originals?: string[]) =>
  new Flag(flags, description, originals).helpGroup(GROUP);

const MODEL_FILES = 'a model directory, a Keras .h5, or an ensemble directory with frame_size.txt';

/** `train`: the model to write (and resume); elsewhere the model to use. */
export const model = (use: 'use' | 'train' = 'use') =>
  use === 'train'
    ? flag(
        '-m, --model <dir>',
        'model directory to write; training resumes from it when it exists (Adam and the random streams ' +
          'continue from the training state saved with it)',
      ).makeOptionMandatory()
    : flag(
        '-m, --model <path>',
        `classifier to use: default, livenessnet, minifasnet, minifasnet-v2, minifasnet-v1se, or ${MODEL_FILES}; ` +
          'several joined by commas are an ensemble at the mean of their thresholds, e.g. livenessnet,minifasnet ' +
          "(default: 'default', the bundled LivenessNet and MiniFASNet at the threshold chosen for their mean; " +
          'the bundled LivenessNet alone where MiniFASNet is missing)',
      );

export const width = () =>
  flag(
    '-w, --width <px>',
    'model input width, with --height: the size of the model train creates, else checked against the model',
    ['--input_img_width'],
  ).number(POSITIVE_INTEGER);

export const height = () =>
  flag('--height <px>', 'model input height, with --width', ['-he', '--he', '--input_img_height'])
    .number(POSITIVE_INTEGER)
    .checkedWith(inputSize);

export const ensemble = () =>
  flag('--ensemble', 'classify with an ensemble (needs --ensemble-path)', [
    '-ens',
    '--ens',
    '--ensemble_flag',
  ]);

export const ensemblePath = () =>
  flag('--ensemble-path <dir>', 'directory with the ensemble models and frame_size.txt', [
    '-ensp',
    '--ensp',
    '--ensemble_path',
  ]).checkedWith(classifierModel);

export const backend = () =>
  flag(
    '--backend <name>',
    'TensorFlow.js backend: tensorflow, wasm or cpu (default: the fastest available)',
  ).oneOf(['tensorflow', 'wasm', 'cpu']);

/** Flags of {@link inputSize}. */
export interface SizeFlags {
  width?: number;
  height?: number;
}

/** `-w` and `-he` as one size: both or neither. */
export function inputSize(flags: SizeFlags): { width: number; height: number } | undefined {
  if (flags.width === undefined && flags.height === undefined) return undefined;
  if (flags.width === undefined || flags.height === undefined) {
    throw new FlagError('give both -w/--width and -he/--height, or neither');
  }
  return { width: flags.width, height: flags.height };
}

/** Flags of {@link classifierModel}. */
export interface ModelFlags extends SizeFlags {
  model?: string;
  ensemble?: boolean;
  ensemblePath?: string;
  backend?: BackendName;
}

/**
 * The classifiers the flags name: `-m` (a name, a path, or several joined by commas: an ensemble
 * whose P(live) is the mean of theirs), or the ensemble directory of `-ens -ensp`; undefined for
 * the default classifier.
 */
export function classifierModel(flags: ModelFlags): string[] | undefined {
  if (flags.ensemble && !flags.ensemblePath) {
    throw new FlagError('-ens/--ensemble needs -ensp/--ensemble-path DIR (a directory with frame_size.txt)');
  }
  if (flags.ensemblePath && flags.model) {
    throw new FlagError('give -m/--model or -ensp/--ensemble-path, not both');
  }
  if (flags.ensemblePath) return [flags.ensemblePath];
  const names = flags.model?.split(',').map((n) => n.trim());
  if (names?.some((n) => n === '')) throw new FlagError(`-m/--model names an empty model: '${flags.model}'`);
  return names;
}
