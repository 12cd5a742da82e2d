import { ModelFormatError } from '@face-liveness/core';
import type { DetectionOutputSpec, PriorBoxSpec } from '../convert/ssd-net.js';

/** Network input side in pixels. */
export const RES10_SIZE = 300;
/** Per-channel mean subtracted from B, G, R (no scaling). */
export const RES10_MEAN_BGR: readonly [number, number, number] = [104, 177, 123];

const VARIANCE = [0.1, 0.1, 0.2, 0.2];
const prior = (
  featureSize: number,
  minSize: number,
  maxSize: number,
  step: number,
  aspectRatios: number[],
): PriorBoxSpec => ({
  featureSize,
  minSize,
  maxSize,
  step,
  aspectRatios,
  flip: true,
  clip: false,
  offset: 0.5,
  variance: VARIANCE,
});

/**
 * The six PriorBox layers of res10 (conv4_3_norm, fc7, conv6_2, conv7_2, conv8_2, conv9_2). The last
 * two stay 5x5 with steps 100 and 300, so some of their priors lie outside the image.
 */
export const RES10_PRIORS: readonly PriorBoxSpec[] = [
  prior(38, 30, 60, 8, [2]),
  prior(19, 60, 111, 16, [2, 3]),
  prior(10, 111, 162, 32, [2, 3]),
  prior(5, 162, 213, 64, [2, 3]),
  prior(5, 213, 264, 100, [2]),
  prior(5, 264, 315, 300, [2]),
];

export const RES10_DETECTION: DetectionOutputSpec = {
  numClasses: 2,
  backgroundLabel: 0,
  nmsThreshold: 0.45,
  topK: 400,
  keepTopK: 200,
  confidenceThreshold: 0.01,
  codeType: 'CENTER_SIZE',
  shareLocation: true,
};

/**
 * Converters call this: the runtime decodes with the constants above, so a model whose prior
 * boxes or detection parameters differ would be decoded wrongly; refuse it instead.
 */
export function assertRes10Head(
  priors: readonly PriorBoxSpec[],
  detection: DetectionOutputSpec | undefined,
  what: string,
): void {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
  const same = (a: PriorBoxSpec, b: PriorBoxSpec) =>
    a.featureSize === b.featureSize &&
    close(a.minSize, b.minSize) &&
    close(a.maxSize, b.maxSize) &&
    close(a.step, b.step) &&
    close(a.offset, b.offset) &&
    a.flip === b.flip &&
    a.clip === b.clip &&
    a.aspectRatios.length === b.aspectRatios.length &&
    a.aspectRatios.every((r, i) => close(r, b.aspectRatios[i])) &&
    a.variance.every((v, i) => close(v, b.variance[i]));
  const bad = RES10_PRIORS.findIndex((p, i) => !priors[i] || !same(priors[i], p));
  if (priors.length !== RES10_PRIORS.length || bad >= 0) {
    throw new ModelFormatError(
      `${what}: prior boxes differ from OpenCV's res10 300x300 SSD (layer ${bad >= 0 ? bad : priors.length}: ${JSON.stringify(priors[bad] ?? null)}); only that detector is supported`,
    );
  }
  const d = detection;
  if (
    !d ||
    d.numClasses !== 2 ||
    d.codeType !== 'CENTER_SIZE' ||
    !d.shareLocation ||
    d.backgroundLabel !== 0
  ) {
    throw new ModelFormatError(
      `${what}: DetectionOutput must be 2 classes, CENTER_SIZE, shared locations (got ${JSON.stringify(d)})`,
    );
  }
}
