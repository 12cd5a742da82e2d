/** What the challenge reads of the challenged face in one usable frame. */
export interface FaceSample {
  timestampMs: number;
  /** Degrees, as `HeadPose` (yaw > 0: the nose moves to the image's right; pitch > 0: up). */
  yaw?: number;
  pitch?: number;
  /** Mouth aspect ratio of the inner lips. */
  mar?: number;
  /** Square root of the face box's area, pixels. */
  size: number;
}

/** The person's neutral pose: the median of each signal over the frames before the first step. */
export interface NeutralPose {
  yaw: number;
  pitch: number;
  mar: number;
  size: number;
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** The median of the samples' signals (NaN for a signal none of them had). */
export function neutralPose(samples: readonly FaceSample[]): NeutralPose {
  return {
    yaw: median(samples.map((s) => s.yaw ?? Number.NaN)),
    pitch: median(samples.map((s) => s.pitch ?? Number.NaN)),
    mar: median(samples.map((s) => s.mar ?? Number.NaN)),
    size: median(samples.map((s) => s.size)),
  };
}
