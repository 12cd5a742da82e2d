import {
  createFaceDetector,
  type DetectorChoice,
  type SelectedFaceDetector,
} from '@face-liveness/face-detector';
import {
  type BackendName,
  isEnsembleDir,
  LivenessClassifier,
  LivenessEnsemble,
  type LivenessModelLike,
  resolveLivenessModel,
} from '@face-liveness/livenessnet';
import type { Command } from 'commander';
import { acceptOriginalFlags, number } from './pipeline-options.js';

// The original scripts' multi-letter single-dash flags and underscore long names.
const ORIGINAL_FLAGS: Record<string, string> = {
  '-dv': '--dv',
  '-he': '--he',
  '-ev': '--ev',
  '-ckpt': '--ckpt',
  '--train_dataset': '--train-dataset',
  '--val_dataset': '--val-dataset',
  '--evaluation_result': '--evaluation-result',
  '--bs': '--batch-size',
  '--input_img_width': '--width',
  '--input_img_height': '--height',
  '--checkpoint_path': '--checkpoint-path',
};

/** Flags of the face-crop options. */
export interface CropFlags {
  detect?: boolean;
  detector?: string;
  detectorType: DetectorChoice;
  confidence: number;
  margin?: number;
  backend?: BackendName;
}

/** `--detect` and its detector options, `--margin`, `--backend`; accepts the original's spellings. */
export function addCropOptions(cmd: Command): Command {
  acceptOriginalFlags(cmd, ORIGINAL_FLAGS);
  return cmd
    .option('--detect', 'images are full frames: crop the most confident face found by the face detector')
    .option('--detector <path>', 'face detector model for --detect (default: from the model store)')
    .option(
      '--detector-type <name>',
      'auto (res10 when installed, else BlazeFace), res10 or blazeface',
      'auto',
    )
    .option(
      '-c, --confidence <p>',
      'minimum face detection confidence for --detect',
      number('--confidence'),
      0.5,
    )
    .option(
      '--margin <fraction>',
      "grow each face box by this fraction per side before cropping (default: the model's own, else 0)",
      number('--margin'),
    )
    .option('--backend <name>', 'tfjs backend: tensorflow, wasm or cpu (default: fastest available)');
}

/** The detector `--detect` asks for, or undefined. Close it when done. */
export async function openDetector(flags: CropFlags): Promise<SelectedFaceDetector | undefined> {
  if (!flags.detect) return undefined;
  const detector = await createFaceDetector({
    detector: flags.detectorType,
    model: flags.detector,
    confidence: flags.confidence,
  });
  process.stderr.write(`face detector: ${detector.name} (${detector.reason})\n`);
  return detector;
}

/** `-w` and `--he` as a size, when both or neither are given. */
export function inputSize(flags: {
  width?: number;
  height?: number;
}): { width: number; height: number } | undefined {
  if (flags.width === undefined && flags.height === undefined) return undefined;
  return { width: flags.width ?? 32, height: flags.height ?? 32 };
}

/**
 * Opens `-m`: a model directory, a Keras .h5, or an ensemble directory (with frame_size.txt);
 * without `-m`, the store's `livenessnet`, else the default model bundled with the package.
 */
export async function openLivenessModel(
  modelPath: string | undefined,
  options: { backend?: BackendName; expectInputSize?: { width: number; height: number }; threshold?: number },
): Promise<LivenessModelLike> {
  const path = await resolveLivenessModel(modelPath);
  if (isEnsembleDir(path)) return LivenessEnsemble.load(path, options);
  return LivenessClassifier.load(path, options);
}

/** Flags of {@link addModelOptions}. */
export interface ModelFlags extends CropFlags {
  model?: string;
  width?: number;
  height?: number;
  threshold?: number;
}

/** `-m`, `-w`, `--he` (checked against the model) and `--threshold`, for the commands that classify. */
export function addModelOptions(cmd: Command): Command {
  return addCropOptions(cmd)
    .option(
      '-m, --model <path>',
      'model directory, Keras .h5, or ensemble directory with frame_size.txt (default: the store’s livenessnet, else the bundled default model)',
    )
    .option('-w, --width <px>', 'expected model input width (checked)', number('--width', true))
    .option('--he, --height <px>', 'expected model input height (-he; checked)', number('--height', true))
    .option('--threshold <p>', 'decision threshold on P(live) (default: the model’s)', number('--threshold'));
}

/** Opens the model and, with `--detect`, the face detector; `close()` releases both. */
export async function openModelAndDetector(flags: ModelFlags) {
  const model = await openLivenessModel(flags.model, {
    backend: flags.backend,
    expectInputSize: inputSize(flags),
    threshold: flags.threshold,
  });
  try {
    const detector = await openDetector(flags);
    return {
      model,
      detector,
      /** The crop margin: `--margin`, else the one the model was trained with. */
      margin: flags.margin ?? model.cropMargin,
      close: async () => {
        await model.close();
        await detector?.close();
      },
    };
  } catch (error) {
    await model.close();
    throw error;
  }
}
