import type { PriorBoxSpec } from './spec.js';

/**
 * Prior boxes as OpenCV's PriorBox layer makes them (float32, normalised, unclipped), cell by cell,
 * row-major, per cell: min size, sqrt(min*max), then each aspect ratio r and 1/r.
 * Returns [xmin, ymin, xmax, ymax] per prior and the four variances per prior.
 */
export function makePriors(
  specs: readonly PriorBoxSpec[],
  imageSize: number,
): { boxes: Float32Array; variances: Float32Array } {
  const f = Math.fround;
  const rows: number[] = [];
  const variances: number[] = [];
  for (const spec of specs) {
    const sizes: [number, number][] = [[spec.minSize, spec.minSize]];
    if (spec.maxSize > 0) {
      const s = f(Math.sqrt(f(spec.minSize * spec.maxSize)));
      sizes.push([s, s]);
    }
    for (const r of spec.aspectRatios) {
      if (Math.abs(r - 1) < 1e-6) continue;
      for (const ratio of spec.flip ? [r, f(1 / r)] : [r]) {
        const root = f(Math.sqrt(ratio));
        sizes.push([f(spec.minSize * root), f(spec.minSize / root)]);
      }
    }
    for (let y = 0; y < spec.featureSize; y++) {
      for (let x = 0; x < spec.featureSize; x++) {
        const cx = f((x + spec.offset) * spec.step);
        const cy = f((y + spec.offset) * spec.step);
        for (const [w, h] of sizes) {
          rows.push(
            f(f(cx - w / 2) / imageSize),
            f(f(cy - h / 2) / imageSize),
            f(f(cx + w / 2) / imageSize),
            f(f(cy + h / 2) / imageSize),
          );
          variances.push(...spec.variance);
        }
      }
    }
  }
  return { boxes: Float32Array.from(rows), variances: Float32Array.from(variances) };
}
