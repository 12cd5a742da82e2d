import { InvalidInputError, type Point } from '@face-liveness/core';
import { BaselineEvents, checkNonNegative } from './baseline-events.js';
import { faceWidth } from './blink.js';

/** First inner-lip point of the 68-point layout: 60 (right corner), 61-63 upper lip, 64 (left corner), 65-67 lower lip. */
export const INNER_LIPS = 60;

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * The mouth aspect ratio of the inner lips, the eye aspect ratio's counterpart: the mean gap between
 * the lips (61-67, 62-66, 63-65) over the distance between the mouth's inner corners (60-64). About
 * 0-0.05 closed (dlib often puts both lips on one line), 0.1-0.3 talking, 0.4-0.8 wide open.
 */
export function mouthAspectRatio(points: readonly Point[]): number {
  if (points.length < 68) {
    throw new InvalidInputError(`mouth aspect ratio needs the 68-point layout; got ${points.length} points`);
  }
  const p = points;
  return (dist(p[61], p[67]) + dist(p[62], p[66]) + dist(p[63], p[65])) / (3 * dist(p[60], p[64]));
}

/** What {@link MouthOpenDetector} reports after each frame of one face. */
export interface MouthUpdate {
  /** Mouth openings counted so far. */
  openings: number;
  /** This frame's mouth aspect ratio. */
  mar: number;
  /** True when the mouth is open in this frame (past `openMargin`, not yet back under `closeMargin`). */
  open: boolean;
  /** True when this frame completed an opening (the mouth closed again after an allowed time). */
  opened: boolean;
  /** True when an opening now could be seen: baseline known, face large enough, frames close enough. */
  observable: boolean;
}

/**
 * Options of {@link MouthOpenDetector}. A closed mouth's MAR is near 0, so the thresholds are
 * margins added to the closed-mouth baseline, not fractions of it as the eyes' are: a deliberate
 * opening ("open your mouth") parts the lips by a third of the mouth's width or more; speech mostly
 * stays under 0.2 (the default margins' assumption, to be checked on video).
 */
export interface MouthOpenOptions {
  /** The mouth counts as open when its MAR rises above baseline + this. Default 0.25. */
  openMargin?: number;
  /** ...and as closed again below baseline + this (hysteresis). Default 0.12. */
  closeMargin?: number;
  /** Shortest opening counted, ms. Default 200 (a syllable is shorter). */
  minOpenMs?: number;
  /** Longest opening counted, ms. Default 4000. */
  maxOpenMs?: number;
  /** The closed-mouth baseline is the median MAR of closed frames in this trailing window, ms. Default 5000. */
  baselineWindowMs?: number;
  /** Frames needed in the window before anything is counted. Default 3. */
  minBaselineFrames?: number;
  /** A gap between frames longer than this cancels an opening in progress. Default 1500 ms. */
  maxGapMs?: number;
  /** Frames closer than this in time could show an opening. Default `minOpenMs`. */
  maxObservableGapMs?: number;
  /** Faces narrower than this (jaw end to jaw end, px) are too small to judge. Default 80. */
  minFaceWidth?: number;
}

/**
 * Counts mouth openings of one face, with the blink counter's machinery ({@link BaselineEvents}):
 * a per-face closed-mouth baseline (running median), hysteresis between opening and closing, and
 * openings timed from the frames' timestamps. For challenges ("open your mouth") and as a sign of life.
 */
export class MouthOpenDetector {
  private count = 0;
  private readonly events: BaselineEvents;
  private readonly o: Required<MouthOpenOptions>;

  constructor(options: MouthOpenOptions = {}) {
    this.o = {
      openMargin: options.openMargin ?? 0.25,
      closeMargin: options.closeMargin ?? 0.12,
      minOpenMs: options.minOpenMs ?? 200,
      maxOpenMs: options.maxOpenMs ?? 4000,
      baselineWindowMs: options.baselineWindowMs ?? 5000,
      minBaselineFrames: options.minBaselineFrames ?? 3,
      maxGapMs: options.maxGapMs ?? 1500,
      maxObservableGapMs: options.maxObservableGapMs ?? options.minOpenMs ?? 200,
      minFaceWidth: options.minFaceWidth ?? 80,
    };
    const o = this.o;
    checkNonNegative('mouth detector', o);
    if (!(o.closeMargin < o.openMargin)) {
      throw new InvalidInputError(
        `mouth detector needs closeMargin < openMargin, got ${o.closeMargin} and ${o.openMargin}`,
      );
    }
    this.events = new BaselineEvents(
      {
        minMs: o.minOpenMs,
        maxMs: o.maxOpenMs,
        baselineWindowMs: o.baselineWindowMs,
        minBaselineFrames: o.minBaselineFrames,
        maxGapMs: o.maxGapMs,
      },
      {
        starts: ([mar], [base]) => mar > base + o.openMargin,
        ends: ([mar], [base]) => mar < base + o.closeMargin,
      },
      'mouth detector',
    );
  }

  get openings(): number {
    return this.count;
  }

  /** The closed-mouth baseline MAR, or undefined while warming up. */
  baseline(): number | undefined {
    return this.events.baseline()?.[0];
  }

  update(points: readonly Point[], timestampMs: number): MouthUpdate {
    const mar = mouthAspectRatio(points);
    const { event, gap, baseline } = this.events.step([mar], timestampMs);
    if (event) this.count++;
    const observable =
      baseline !== undefined && gap <= this.o.maxObservableGapMs && faceWidth(points) >= this.o.minFaceWidth;
    return { openings: this.count, mar, open: this.events.inEvent, opened: event, observable };
  }
}
