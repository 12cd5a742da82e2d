import { type Frame, type Keypoint, ROTATIONS, type Rotation } from '@face-liveness/core';
import type { FrameFaces, SessionHost } from './engine-types.js';
import { rethrowUnlessSkippable } from './skips.js';
import { TurnedStages } from './turned-stages.js';
import type { OrientationMode } from './types.js';

/** While faces are found, how often the other rotations are tried again (a camera may be turned). */
const RECHECK_MS = 2000;
/** While no face is found (and no track is alive), how often the other rotations are tried. */
const RETRY_MS = 500;
/**
 * How much better another rotation's best face must score to replace a rotation already confirmed
 * by a face: one frame's noise must not turn a settled stream.
 */
const SWITCH_MARGIN = 0.05;
/** The largest tilt of the eye line (degrees) of a face taken as upright. */
const MAX_ROLL = 45;

/** How far (degrees, 0-180) the eye line of a face's keypoints is from level once the frame is turned. */
function roll(keypoints: readonly Keypoint[], rotation: Rotation): number {
  const [right, left] = keypoints;
  // The keypoints are in the frame as given; turning it clockwise turns the eye line as much.
  const degrees = (Math.atan2(left[1] - right[1], left[0] - right[0]) * 180) / Math.PI + rotation;
  return Math.abs(((degrees + 540) % 360) - 180);
}

/**
 * The best detection score among a detection's upright faces; 0 without one. BlazeFace finds faces
 * on their side too, at 0.76-0.92 where the same face upright scores 0.93-0.98 (real.mp4), and on
 * single NUAA frames a side view can outscore the upright one; but its keypoints follow the eyes
 * (their line is tilted by 40-90 degrees on a side view, under 20 upright), so a face whose eye
 * line, in the frame turned by `rotation`, is tilted more than {@link MAX_ROLL} does not count.
 * Faces without keypoints (res10) count by their score alone.
 */
function uprightScore(found: FrameFaces | undefined, rotation: Rotation): number {
  let best = 0;
  for (const { score, keypoints } of found?.faces ?? []) {
    const upright = !keypoints || keypoints.length < 2 || roll(keypoints, rotation) <= MAX_ROLL;
    if (upright && score > best) best = score;
  }
  return best;
}

/**
 * Finds the rotation that brings a stream's faces upright. The detectors are upright-only, and a
 * video may be turned (a transposed copy, or a phone's rotation flag, which ffmpeg applies). The
 * other three rotations are tried on the first frame with a face, again every {@link RECHECK_MS}
 * while faces are found, and every {@link RETRY_MS} while none is found at all; the rotation whose
 * best upright face scores highest wins and is kept until a later try beats it. The extra detections are
 * made only on those frames.
 */
export class OrientationFinder {
  private readonly stages = new Map<Rotation, TurnedStages>();
  private current: Rotation;
  private searchedAt?: number;
  private confirmedAt?: number;

  constructor(
    private readonly host: SessionHost,
    private readonly mode: OrientationMode,
  ) {
    this.current = mode === 'auto' ? 0 : mode;
  }

  /** The rotation frames are analysed at now. */
  get rotation(): Rotation {
    return this.current;
  }

  /** The engine's stages at `rotation` (default: the current one). */
  at(rotation: Rotation = this.current): TurnedStages {
    let stages = this.stages.get(rotation);
    if (!stages) {
      stages = new TurnedStages(this.host, rotation);
      this.stages.set(rotation, stages);
    }
    return stages;
  }

  /**
   * `found`, this frame's detection at the current rotation, or a better one at another rotation
   * when a try is due (then the rotation changes). `tracking`: whether a face is still followed,
   * which makes a frame without a face a miss rather than a reason to look elsewhere.
   */
  async check(frame: Frame, found: FrameFaces, timestampMs: number, tracking: boolean): Promise<FrameFaces> {
    if (!this.due(found, timestampMs, tracking)) return found;
    this.searchedAt = timestampMs;
    const others = ROTATIONS.filter((r) => r !== this.current);
    const tries = await Promise.all(
      others.map((r) =>
        this.at(r)
          .detectFaces(frame)
          .catch((error: unknown) => {
            rethrowUnlessSkippable(error, this.host);
            return undefined;
          }),
      ),
    );
    const margin = this.confirmedAt === undefined ? 0 : SWITCH_MARGIN;
    let best = found;
    let score = uprightScore(found, this.current) + margin;
    for (const [i, tried] of tries.entries()) {
      if (tried && uprightScore(tried, others[i]) > score) {
        best = tried;
        score = uprightScore(tried, others[i]);
        this.current = others[i];
      }
    }
    if (best.faces.length > 0) this.confirmedAt = timestampMs;
    const ms = found.ms + tries.reduce((sum, t) => sum + (t?.ms ?? 0), 0);
    return { ...best, ms };
  }

  private due(found: FrameFaces, timestampMs: number, tracking: boolean): boolean {
    if (this.mode !== 'auto') return false;
    if (found.faces.length > 0) {
      return this.confirmedAt === undefined || timestampMs - this.confirmedAt >= RECHECK_MS;
    }
    return !tracking && (this.searchedAt === undefined || timestampMs - this.searchedAt >= RETRY_MS);
  }
}
