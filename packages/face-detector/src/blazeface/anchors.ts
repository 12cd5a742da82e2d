/** An SSD anchor: centre and size, normalised to the model input. */
export interface Anchor {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The options of MediaPipe's `SsdAnchorsCalculator` that BlazeFace uses (no multiscale or
 * lowest-layer variants; `aspectRatios` are per layer).
 */
export interface SsdAnchorOptions {
  inputWidth: number;
  inputHeight: number;
  minScale: number;
  maxScale: number;
  strides: number[];
  aspectRatios: number[];
  /** > 0 adds an anchor of this ratio at the scale between this layer's and the next. */
  interpolatedScaleAspectRatio: number;
  anchorOffsetX: number;
  anchorOffsetY: number;
  /** When true every anchor is 1x1, so the regressors give absolute sizes. */
  fixedAnchorSize: boolean;
}

/** `face_detection_short_range_common.pbtxt`: 128x128 input, strides 8,16,16,16, fixed size. */
export const SHORT_RANGE_ANCHORS: SsdAnchorOptions = {
  inputWidth: 128,
  inputHeight: 128,
  minScale: 0.1484375,
  maxScale: 0.75,
  strides: [8, 16, 16, 16],
  aspectRatios: [1],
  interpolatedScaleAspectRatio: 1,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  fixedAnchorSize: true,
};

/** `face_detection_full_range_common.pbtxt`: 192x192 input, one stride-4 layer, fixed size. */
export const FULL_RANGE_ANCHORS: SsdAnchorOptions = {
  ...SHORT_RANGE_ANCHORS,
  inputWidth: 192,
  inputHeight: 192,
  strides: [4],
  interpolatedScaleAspectRatio: 0,
};

function layerScale(o: SsdAnchorOptions, index: number): number {
  const n = o.strides.length;
  return n === 1 ? (o.minScale + o.maxScale) / 2 : o.minScale + ((o.maxScale - o.minScale) * index) / (n - 1);
}

/**
 * Generates anchors in MediaPipe's order: layers of equal stride are merged, then for each cell
 * (row-major) all of that cell's anchors. Short-range BlazeFace gets 16x16x2 + 8x8x6 = 896,
 * full-range 48x48x1 = 2304.
 */
export function ssdAnchors(o: SsdAnchorOptions = SHORT_RANGE_ANCHORS): Anchor[] {
  const anchors: Anchor[] = [];
  let layer = 0;
  while (layer < o.strides.length) {
    const sizes: { w: number; h: number }[] = [];
    let last = layer;
    for (; last < o.strides.length && o.strides[last] === o.strides[layer]; last++) {
      const scale = layerScale(o, last);
      for (const ratio of o.aspectRatios) {
        sizes.push({ w: scale * Math.sqrt(ratio), h: scale / Math.sqrt(ratio) });
      }
      if (o.interpolatedScaleAspectRatio > 0) {
        const next = last === o.strides.length - 1 ? 1 : layerScale(o, last + 1);
        const s = Math.sqrt(scale * next);
        const r = Math.sqrt(o.interpolatedScaleAspectRatio);
        sizes.push({ w: s * r, h: s / r });
      }
    }
    const rows = Math.ceil(o.inputHeight / o.strides[layer]);
    const cols = Math.ceil(o.inputWidth / o.strides[layer]);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (const size of sizes) {
          anchors.push({
            x: (x + o.anchorOffsetX) / cols,
            y: (y + o.anchorOffsetY) / rows,
            w: o.fixedAnchorSize ? 1 : size.w,
            h: o.fixedAnchorSize ? 1 : size.h,
          });
        }
      }
    }
    layer = last;
  }
  return anchors;
}
