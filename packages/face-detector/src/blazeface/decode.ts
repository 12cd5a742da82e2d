import { iou } from '@face-liveness/core';
import type { Anchor } from './anchors.js';

/** A detection in normalised model-input coordinates, before projection to the frame. */
export interface RawDetection {
  /** xmin, ymin, xmax, ymax in [0, 1] of the (letterboxed) model input. */
  box: [number, number, number, number];
  score: number;
  keypoints: [number, number][];
}

/** `TensorsToDetectionsCalculatorOptions` of a BlazeFace graph. */
export interface BlazeFaceDecodeOptions {
  /** Regressor divisors (the input size: offsets are in input pixels). */
  xScale: number;
  yScale: number;
  wScale: number;
  hScale: number;
  numKeypoints: number;
  /** Raw scores are clipped to +-this before the sigmoid. */
  scoreClippingThresh: number;
  /** Detections scoring below this are dropped before NMS. */
  minScoreThresh: number;
}

/** `face_detection_short_range_common.pbtxt`. */
export const SHORT_RANGE_DECODE: BlazeFaceDecodeOptions = {
  xScale: 128,
  yScale: 128,
  wScale: 128,
  hScale: 128,
  numKeypoints: 6,
  scoreClippingThresh: 100,
  minScoreThresh: 0.5,
};

/** The full-range graph: offsets in 192-pixel units, and MediaPipe keeps scores >= 0.6. */
export const FULL_RANGE_DECODE: BlazeFaceDecodeOptions = {
  ...SHORT_RANGE_DECODE,
  xScale: 192,
  yScale: 192,
  wScale: 192,
  hScale: 192,
  minScoreThresh: 0.6,
};

/**
 * Decodes the two BlazeFace outputs as MediaPipe's `TensorsToDetectionsCalculator` does with
 * `reverse_output_order: true`: each regressor row is [dx, dy, w, h, kx0, ky0, ...] in input
 * pixels relative to its anchor; the score is sigmoid(clip(logit)).
 */
export function decodeDetections(
  regressors: Float32Array,
  scores: Float32Array,
  anchors: Anchor[],
  o: BlazeFaceDecodeOptions = SHORT_RANGE_DECODE,
): RawDetection[] {
  const coords = 4 + 2 * o.numKeypoints;
  if (scores.length !== anchors.length || regressors.length !== anchors.length * coords) {
    throw new Error(
      `BlazeFace outputs have ${scores.length} scores and ${regressors.length} regressors for ${anchors.length} anchors`,
    );
  }
  const out: RawDetection[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const logit = Math.min(Math.max(scores[i], -o.scoreClippingThresh), o.scoreClippingThresh);
    const score = 1 / (1 + Math.exp(-logit));
    if (!(score >= o.minScoreThresh)) continue;
    const a = anchors[i];
    const r = i * coords;
    const cx = (regressors[r] / o.xScale) * a.w + a.x;
    const cy = (regressors[r + 1] / o.yScale) * a.h + a.y;
    const w = (regressors[r + 2] / o.wScale) * a.w;
    const h = (regressors[r + 3] / o.hScale) * a.h;
    const keypoints: [number, number][] = [];
    for (let k = 0; k < o.numKeypoints; k++) {
      keypoints.push([
        (regressors[r + 4 + 2 * k] / o.xScale) * a.w + a.x,
        (regressors[r + 5 + 2 * k] / o.yScale) * a.h + a.y,
      ]);
    }
    out.push({ box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], score, keypoints });
  }
  return out;
}

/**
 * MediaPipe's WEIGHTED non-maximum suppression (`NonMaxSuppressionCalculator`): take the best
 * remaining detection and every remaining one overlapping it by IoU > `threshold`; output the
 * best one's score with the score-weighted mean of their boxes and keypoints.
 */
export function weightedNms(detections: RawDetection[], threshold = 0.3): RawDetection[] {
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const out: RawDetection[] = [];
  while (remaining.length > 0) {
    const top = remaining[0];
    const cluster: RawDetection[] = [];
    const rest: RawDetection[] = [];
    for (const d of remaining) (iou(d.box, top.box) > threshold ? cluster : rest).push(d);
    if (cluster.length === 0) {
      // A degenerate (zero-area) best box overlaps nothing, not even itself: keep it as it is.
      out.push(top);
      remaining = remaining.slice(1);
      continue;
    }
    const total = cluster.reduce((sum, d) => sum + d.score, 0);
    const mean = (pick: (d: RawDetection) => number): number =>
      cluster.reduce((sum, d) => sum + pick(d) * d.score, 0) / total;
    out.push({
      box: [mean((d) => d.box[0]), mean((d) => d.box[1]), mean((d) => d.box[2]), mean((d) => d.box[3])],
      score: top.score,
      keypoints: top.keypoints.map((_, k) => [
        mean((d) => d.keypoints[k][0]),
        mean((d) => d.keypoints[k][1]),
      ]),
    });
    remaining = rest;
  }
  return out;
}
