import type { FaceDetectorLike } from '@face-liveness/core';
import type { BlazeFaceRangeChoice, DetectorChoice } from '@face-liveness/face-detector';
import { Flag, NON_NEGATIVE, POSITIVE_INTEGER, PROBABILITY } from './flag.js';
import { DETECTOR_NAMES } from './names.js';

const GROUP = 'Face detector:';
const flag = (flags: string, description: string, originals?: string[]) =>
  new Flag(flags, description, originals).helpGroup(GROUP);

/** `--detector` values: the detector kinds, and BlazeFace's other ranges (the kind alone is short range). */
const DETECTOR_FLAGS = ['auto', ...DETECTOR_NAMES, 'blazeface-full', 'blazeface-auto'] as const;
export type DetectorFlag = (typeof DETECTOR_FLAGS)[number];

export const detectorKind = () =>
  flag(
    '--detector <kind>',
    `which face detector: auto (res10 when installed, else BlazeFace), ${DETECTOR_NAMES.join(', ')} (short range), ` +
      'blazeface-full (faces up to ~5 m: group photos), blazeface-auto (short range, and full range on frames without a near face)',
  )
    .oneOf(DETECTOR_FLAGS)
    .default('auto');

/** The detector kind and BlazeFace range a `--detector` value means. */
export function detectorChoice(value: DetectorFlag): {
  detector: DetectorChoice;
  range?: BlazeFaceRangeChoice;
} {
  if (value === 'blazeface-full') return { detector: 'blazeface', range: 'full' };
  if (value === 'blazeface-auto') return { detector: 'blazeface', range: 'auto' };
  return { detector: value };
}

/** `short`: demo keeps the original demo.py's `-d` (train's `-d` is its dataset). */
export const detectorModel = (short?: '-d') =>
  flag(
    `${short ? `${short}, ` : ''}--detector-model <file>`,
    'face detector model file: a converted res10 .onnx, or BlazeFace .tflite/.onnx (default: from the model store)',
  );

export const confidence = () =>
  flag(
    '-c, --confidence <p>',
    "the face detector's minimum confidence: faces scoring below it are not found at all",
  )
    .number(PROBABILITY)
    .default(0.5);

export const threads = () =>
  flag('--threads <n>', 'ONNX Runtime threads of the face detector (default 1)').number(POSITIVE_INTEGER);

export const noDetectorThread = () =>
  flag('--no-detector-thread', 'run the face detector on the main thread (default: a worker thread)');

export const int8 = () =>
  flag('--int8', 'the int8 res10 model (res10-ssd-int8): detect uses it, models convert/install make it');

/** `px`: 60 (the original demo's) where faces are classified, 0 where they are only found. */
export const minFaceSize = (px: number) =>
  flag(
    '-t, --min-face-size <px>',
    "skip faces narrower or shorter than this many pixels (the original demo's face_thresh)",
    ['--face-thresh', '--face_thresh'],
  )
    .number(NON_NEGATIVE)
    .default(px);

export const detect = () =>
  flag(
    '--detect',
    'the images are full frames: find faces with the face detector and use their crops (default: each image is a face crop)',
  );

/** Flags of {@link openDetector}. */
export interface DetectorFlags {
  detector: DetectorFlag;
  detectorModel?: string;
  confidence: number;
  threads?: number;
  minFaceSize?: number;
  int8?: boolean;
  verbose?: boolean;
}

/** Which model was chosen and why (`face detector: res10 (why)`) on stderr, under `--verbose`. */
export function sayChosen(
  flags: { verbose?: boolean },
  what: 'face detector' | 'classifier',
  info: { name: string; reason: string },
): void {
  if (flags.verbose) process.stderr.write(`${what}: ${info.name} (${info.reason})\n`);
}

/** The face detector the flags ask for. Close it when done. */
export async function openDetector(flags: DetectorFlags): Promise<FaceDetectorLike> {
  const options = {
    model: flags.detectorModel,
    confidence: flags.confidence,
    threads: flags.threads,
    minFaceSize: flags.minFaceSize,
  };
  const { createFaceDetector, FaceDetector } = await import('@face-liveness/face-detector');
  if (flags.int8) {
    const detector = await FaceDetector.create({ ...options, precision: 'int8' });
    sayChosen(flags, 'face detector', { name: 'res10', reason: 'asked for the int8 model' });
    return detector;
  }
  const detector = await createFaceDetector({ ...options, ...detectorChoice(flags.detector) });
  sayChosen(flags, 'face detector', detector);
  return detector;
}
