import { InvalidInputError } from '@face-liveness/core';
import { FUSION_POLICIES, type FusionPolicy, type LivenessPipelineOptions } from '@face-liveness/pipeline';
import type { Command } from 'commander';

// The original demo's multi-letter single-dash flags; commander only knows one-letter short flags.
const ORIGINAL_FLAGS: Record<string, string> = { '-he': '--he', '-ens': '--ens', '-ensp': '--ensp' };

/** Lets `cmd` accept the original's multi-letter spellings (`flags`: original -> registered; default `-he`, `-ens`, `-ensp`). */
export function acceptOriginalFlags(cmd: Command, flags: Record<string, string> = ORIGINAL_FLAGS): void {
  const parse = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args) => parse(args.map((arg) => flags[arg] ?? arg));
}

export function number(name: string, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      throw new InvalidInputError(`${name} must be ${integer ? 'an integer' : 'a number'}, got '${value}'`);
    }
    return n;
  };
}

function policy(value: string): FusionPolicy {
  if (!FUSION_POLICIES.includes(value as FusionPolicy)) {
    throw new InvalidInputError(`--policy must be one of ${FUSION_POLICIES.join(', ')}, got '${value}'`);
  }
  return value as FusionPolicy;
}

/** The model and behaviour options shared by `demo` and `analyze` (the original demo's flags plus long names). */
export function addPipelineOptions(cmd: Command): Command {
  acceptOriginalFlags(cmd);
  return cmd
    .option(
      '-m, --model <path>',
      'LivenessNet model (directory or Keras .h5); default: livenessnet from the model store',
    )
    .option('-d, --detector <path>', 'face detector model file; default: from the model store')
    .option('-c, --confidence <p>', 'minimum face detection confidence', number('--confidence'), 0.5)
    .option(
      '-p, --shape-predictor <dat>',
      "dlib 68-point landmark model; default: the store's, else libdlib-data's",
    )
    .option('-w, --width <px>', 'model input width (checked against the model)', number('--width', true))
    .option('--he, --height <px>', 'model input height (-he as in the original)', number('--height', true))
    .option('--ens, --ensemble', 'use an ensemble of models (-ens; needs -ensp)')
    .option('--ensp, --ensemble-path <dir>', 'directory with the ensemble models and frame_size.txt (-ensp)')
    .option(
      '-t, --face-thresh <px>',
      'minimum face width and height to classify',
      number('--face-thresh'),
      60,
    )
    .option('--policy <name>', `verdict rule: ${FUSION_POLICIES.join(', ')}`, policy, 'fused')
    .option(
      '--detect-every <n>',
      'run the detector every n-th frame, track in between',
      number('--detect-every', true),
      1,
    )
    .option(
      '--classify-every <n>',
      'classify each face on every n-th frame of its track (the verdict uses the mean)',
      number('--classify-every', true),
      1,
    )
    .option('--threads <n>', 'ONNX Runtime threads of the detector', number('--threads', true))
    .option('--no-landmarks', 'skip landmarks and blinks (faster; blink policies then never see a blink)')
    .option('--no-detector-thread', 'run the face detector on the main thread (default: a worker thread)');
}

export interface PipelineFlags {
  model?: string;
  detector?: string;
  confidence: number;
  shapePredictor?: string;
  width?: number;
  height?: number;
  ensemble?: boolean;
  ensemblePath?: string;
  faceThresh: number;
  policy: FusionPolicy;
  detectEvery: number;
  classifyEvery: number;
  threads?: number;
  landmarks: boolean;
  detectorThread: boolean;
}

/** Turns the flags into `createLivenessPipeline` options. */
export function pipelineOptions(flags: PipelineFlags): LivenessPipelineOptions {
  if (flags.ensemble && !flags.ensemblePath) {
    throw new InvalidInputError(
      '-ens/--ensemble needs -ensp/--ensemble-path DIR (a directory with frame_size.txt)',
    );
  }
  if ((flags.width === undefined) !== (flags.height === undefined)) {
    throw new InvalidInputError('give both -w/--width and -he/--height, or neither');
  }
  return {
    classifierModel: flags.ensemble ? flags.ensemblePath : flags.model,
    inputSize:
      flags.width !== undefined && flags.height !== undefined
        ? { width: flags.width, height: flags.height }
        : undefined,
    detectorModel: flags.detector,
    confidence: flags.confidence,
    landmarkModel: flags.shapePredictor,
    landmarker: flags.landmarks ? undefined : null,
    minFaceSize: flags.faceThresh,
    policy: flags.policy,
    detectEvery: flags.detectEvery,
    classifyEvery: flags.classifyEvery,
    threads: flags.threads,
    detectorThread: flags.detectorThread,
  };
}

/** Stops the run on the first Ctrl-C (the output is finished and stays valid); a second one exits at once. */
export function abortOnSigint(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nstopping (Ctrl-C again to quit at once)...\n');
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
