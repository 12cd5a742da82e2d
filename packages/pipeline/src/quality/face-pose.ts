import { type Frame, InvalidInputError, type Point } from '@face-liveness/core';
import { type HeadPoseFit, headPose } from '@face-liveness/landmarks';

/**
 * The head pose of a face's landmarks in `frame` (focal length = frame width, see `headPose`), or
 * undefined when they are not 68 points or are degenerate: a pose is extra information, and a face
 * whose points cannot be fitted should keep its other results.
 */
export function facePose(
  landmarks: readonly Point[],
  frame: Pick<Frame, 'width' | 'height'>,
): HeadPoseFit | undefined {
  if (landmarks.length !== 68) return undefined;
  try {
    return headPose(landmarks, frame);
  } catch (error) {
    if (error instanceof InvalidInputError) return undefined;
    throw error;
  }
}
