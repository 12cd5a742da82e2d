import type { Option } from 'commander';
import { confidence, type DetectorFlags, detect, detectorKind, detectorModel } from './detector.js';
import { Flag, NON_NEGATIVE, PROBABILITY } from './flag.js';
import { backend, height, type ModelFlags, model, width } from './model.js';

const GROUP = 'Classification:';

/** A face crop smaller than this holds no face to judge (a model would score upscaled blur). */
export const MIN_CROP_SIDE = 16;

export const threshold = () =>
  new Flag(
    '--threshold <p>',
    "decision threshold on P(live): at or above it a face is live (default: the model's own; import-keras stores it with the model, default 0.5)",
  )
    .number(PROBABILITY)
    .helpGroup(GROUP);

export const margin = () =>
  new Flag(
    '--margin <fraction>',
    "grow each face box by this fraction per side before cropping (default: the model's own, else 0)",
  )
    .number(NON_NEGATIVE)
    .helpGroup(GROUP);

/** Flags of a command that classifies faces. */
export interface ClassifierFlags extends ModelFlags, DetectorFlags {
  threshold?: number;
  margin?: number;
  detect?: boolean;
}

/** The flags of `classify` and `evaluate`: the classifiers, and `--detect` with the face detector's. */
export const classifierFlags = (): Option[] => [
  model(),
  width(),
  height(),
  backend(),
  threshold(),
  margin(),
  detect(),
  detectorKind(),
  detectorModel(),
  confidence(),
];
