import { InvalidInputError } from '@face-liveness/core';
import { type FaceQuality, type QualityCode, type QualityOptions, resolveQualityOptions } from './assess.js';

/**
 * The checks whose failure keeps a face's P(live) out of its track's evidence: the ones that say
 * the classifier's crop is not the kind of picture it was trained and thresholded on (too small,
 * blurred, badly exposed, seen from the side or from above or below) or that the face itself may
 * not be where the box is (`unsure-landmarks`). Left out on purpose:
 * - `eyes-closed`: a closed eye is half of every blink; the crop's texture is the same, and gating
 *   it would also hide the frames a blink is made of.
 * - `leaning`: a rolled head is the same skin and the same print at another angle; the session
 *   already turns quarter-turned videos upright, and the rest is within what the classifiers see.
 * - `several-faces` and `no-face`: checks of the frame, not of a face; each face is judged alone.
 */
export const GATING_CODES: readonly QualityCode[] = [
  'too-small',
  'blurry',
  'too-dark',
  'too-bright',
  'clipped',
  'turned',
  'tilted',
  'unsure-landmarks',
];

/**
 * The `qualityGate` option of sessions and `analyzeImage`: `false` (default) lets every score
 * count, `true` gates with the default limits (`QUALITY_DEFAULTS`), an object gates with those
 * limits. Off by default because, on the dev subjects, the default limits (placed for the
 * landmarks) left 40% of bona fide images undecided while the faces they gated were no likelier to
 * be misclassified than the rest (README, "Quality gating").
 */
export type QualityGateOption = boolean | QualityOptions;

/** The gate's limits, or undefined when gating is off; an {@link InvalidInputError} names a bad value. */
export function resolveQualityGate(
  value: QualityGateOption | undefined,
): Required<QualityOptions> | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return resolveQualityOptions({});
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(
      `qualityGate must be true, false or an object of quality limits, got ${JSON.stringify(value)}`,
    );
  }
  return resolveQualityOptions(value, 'qualityGate.');
}

/** The gating checks a face failed (empty: its score counts). */
export function gateCodes(quality: FaceQuality): QualityCode[] {
  return quality.checks.filter((c) => !c.ok && GATING_CODES.includes(c.code)).map((c) => c.code);
}

/** `too dark, blurry`: codes in words, most frequent first (ties keep the order given). */
export function describeGateReasons(reasons: Partial<Record<QualityCode, number>>): string {
  return Object.entries(reasons)
    .filter(([, n]) => (n ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([code]) => code.replace(/-/g, ' '))
    .join(', ');
}
