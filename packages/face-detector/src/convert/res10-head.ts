import { ModelFormatError } from '@face-liveness/core';
import { type DetectionOutputSpec, type PriorBoxSpec, RES10_PRIORS } from '../res10/spec.js';

/**
 * The runtime decodes with the constants of `res10/spec.ts`, so a converted model whose prior
 * boxes or detection parameters differ would be decoded wrongly: converters refuse it instead.
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
