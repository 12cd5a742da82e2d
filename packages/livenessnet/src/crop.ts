import type { Box, FaceDetectorLike, Frame } from '@face-liveness/core';
import { clipBox, cropFrame, InvalidInputError } from '@face-liveness/core';

/** Options of {@link cropFace}. */
export interface CropOptions {
  /** Grow the box by this fraction of its width/height on every side before clipping. Default 0 (the original's crop). */
  margin?: number;
}

/**
 * The face crop LivenessNet sees: the detector box, optionally grown by `margin`, clipped to the
 * frame (as the original demo does), copied out. Training, evaluation, `classify --detect` and the
 * pipeline all crop through this one function so that they see the same pixels.
 */
export function cropFace(frame: Frame, box: Box, options: CropOptions = {}): Frame {
  const { margin = 0 } = options;
  if (!(margin >= 0) || !Number.isFinite(margin))
    throw new InvalidInputError(`margin must be >= 0, got ${margin}`);
  const dx = (box[2] - box[0]) * margin;
  const dy = (box[3] - box[1]) * margin;
  return cropFrame(
    frame,
    clipBox([box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy], frame.width, frame.height),
  );
}

/** The part of a face detector that cropping needs. */
export type FaceFinder = Pick<FaceDetectorLike, 'detect'>;

/** The most confident face of a frame (the original's extraction keeps one face per frame), or undefined. */
export async function bestFace(
  detector: FaceFinder,
  frame: Frame,
): Promise<{ box: Box; score: number } | undefined> {
  const faces = await detector.detect(frame);
  return faces.reduce<{ box: Box; score: number } | undefined>(
    (best, f) => (!best || f.score > best.score ? f : best),
    undefined,
  );
}
