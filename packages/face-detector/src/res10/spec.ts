/** One SSD PriorBox layer, as Caffe and OpenCV define it. */
export interface PriorBoxSpec {
  minSize: number;
  maxSize: number;
  aspectRatios: number[];
  flip: boolean;
  clip: boolean;
  step: number;
  offset: number;
  variance: number[];
  /** Feature map size (square) of the layer the priors sit on. */
  featureSize: number;
}

/** The parameters of the SSD DetectionOutput layer. */
export interface DetectionOutputSpec {
  numClasses: number;
  backgroundLabel: number;
  nmsThreshold: number;
  topK: number;
  keepTopK: number;
  confidenceThreshold: number;
  codeType: string;
  shareLocation: boolean;
}

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
