import { iou } from '@face-liveness/core';

/** A detection in normalised image coordinates, unclipped, as OpenCV's DetectionOutput returns it. */
export interface RawDetection {
  score: number;
  box: [x1: number, y1: number, x2: number, y2: number];
}

export interface DecodeOptions {
  /** Keep priors whose face probability is strictly above this (OpenCV: 0.01). */
  confidenceThreshold: number;
  /**
   * Also drop priors scoring below this, before NMS. The faces at or above it are the same as when
   * filtering after NMS: a box is only ever suppressed by higher-scored ones. Default 0.
   */
  minScore?: number;
  nmsThreshold: number;
  /** Candidates kept before NMS, by score. */
  topK: number;
  /** Detections kept after NMS, by score. */
  keepTopK: number;
}

/**
 * OpenCV's DetectionOutput for one foreground class with shared locations: CENTER_SIZE decoding
 * against the priors, score threshold, top-k, greedy NMS (IoU <= threshold survives), keep-top-k.
 * `loc` is [N, 4] offsets, `conf` is [N, 2] softmax, `priors`/`variances` are [N, 4].
 * Only candidates are decoded, so a high threshold makes this cheap.
 */
export function decodeDetections(
  loc: Float32Array,
  conf: Float32Array,
  priors: Float32Array,
  variances: Float32Array,
  options: DecodeOptions,
): RawDetection[] {
  const count = priors.length / 4;
  const { confidenceThreshold, minScore = 0 } = options;
  const candidates: number[] = [];
  for (let i = 0; i < count; i++) {
    const score = conf[2 * i + 1];
    if (score > confidenceThreshold && score >= minScore) candidates.push(i);
  }
  // Stable: equal scores keep prior order, as std::stable_sort does in OpenCV.
  candidates.sort((a, b) => conf[2 * b + 1] - conf[2 * a + 1] || a - b);
  if (candidates.length > options.topK) candidates.length = options.topK;

  const kept: RawDetection[] = [];
  for (const i of candidates) {
    const box = decodeBox(loc, priors, variances, i);
    if (kept.every((k) => iou(k.box, box) <= options.nmsThreshold)) {
      kept.push({ score: conf[2 * i + 1], box });
      if (kept.length === options.keepTopK) break;
    }
  }
  return kept;
}

function decodeBox(
  loc: Float32Array,
  priors: Float32Array,
  variances: Float32Array,
  i: number,
): RawDetection['box'] {
  const o = 4 * i;
  const pw = priors[o + 2] - priors[o];
  const ph = priors[o + 3] - priors[o + 1];
  const pcx = (priors[o] + priors[o + 2]) / 2;
  const pcy = (priors[o + 1] + priors[o + 3]) / 2;
  const cx = variances[o] * loc[o] * pw + pcx;
  const cy = variances[o + 1] * loc[o + 1] * ph + pcy;
  const w = Math.exp(variances[o + 2] * loc[o + 2]) * pw;
  const h = Math.exp(variances[o + 3] * loc[o + 3]) * ph;
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}
