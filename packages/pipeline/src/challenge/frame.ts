import type { TrackEvidence } from '../fusion.js';
import type { FrameQuality, QualityCheck, QualityCode } from '../quality/assess.js';
import type { FaceResult } from '../types.js';

/** What a challenge reads of one face of a frame's result (a `FaceResult` is one). */
export type ChallengeFace = Pick<FaceResult, 'trackId' | 'box' | 'pose' | 'mar'> & {
  evidence: Pick<TrackEvidence, 'blinks'>;
};

/** What a challenge reads of a frame's result (a `FrameResult` is one): its faces in the order of `quality.faces`. */
export interface ChallengeFrame {
  timestampMs: number;
  faces: readonly ChallengeFace[];
  quality?: FrameQuality;
}

/**
 * Quality checks that the actions themselves fail: a turned head fails `turned`, looking up
 * `tilted` (and, as the eyes narrow, `eyes-closed`), a turn often leans the head, and a blink
 * closes the eyes. They keep a frame from the neutral pose, not from counting for an action.
 */
export const ACTION_QUALITY_CODES: readonly QualityCode[] = ['turned', 'tilted', 'leaning', 'eyes-closed'];

/** The failed checks of a frame and of its face at `index`, but those in `ignore`. */
export function failedChecks(
  quality: FrameQuality | undefined,
  index: number,
  ignore: readonly QualityCode[] = [],
): QualityCheck[] {
  if (!quality) return [];
  const checks = [...quality.frame, ...(quality.faces[index]?.checks ?? [])];
  return checks.filter((c) => !c.ok && !ignore.includes(c.code));
}

/** Square root of a box's area: a face's size that neither its width nor its height alone gives. */
export function boxSize(box: readonly number[]): number {
  return Math.sqrt(Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]));
}
