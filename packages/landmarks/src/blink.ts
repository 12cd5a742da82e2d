import type { Point } from '@face-liveness/core';
import { InvalidInputError } from '@face-liveness/core';
import { BaselineEvents, checkNonNegative } from './baseline-events.js';
import { eyeAspectRatios } from './ear.js';

/** What a blink counter reports after each frame of one face. */
export interface BlinkUpdate {
  /** Blinks counted so far. */
  blinks: number;
  /** This frame's eye aspect ratio, mean of both eyes. */
  ear: number;
  /** True when this frame completed a blink. */
  blinked: boolean;
  /**
   * True when a blink happening now could be seen: the counter has its open-eye baseline, the face
   * is as large as it needs and the frames are close enough in time. Time spent observable without
   * a blink is evidence of a photo; other time is not. Counters that cannot tell leave it out.
   */
  observable?: boolean;
}

/** A per-face blink counter fed with each frame's 68 landmarks and the frame's time. */
export interface BlinkCounter {
  update(points: readonly Point[], timestampMs: number): BlinkUpdate;
  readonly blinks: number;
}

/**
 * Options of {@link BlinkDetector}. The defaults come from the literature, not from the data the
 * README reports on: a spontaneous blink closes the lids for 100-400 ms (Caffier et al. 2003), and
 * a full closure takes the eye aspect ratio from about 0.3 to under 0.1 (Soukupová and Čech 2016),
 * well under 60% of the open value; reopening at 85% assumes landmark jitter on an open eye stays
 * within ~15% of its EAR.
 */
export interface BlinkDetectorOptions {
  /** An eye counts as closing when its EAR falls below this fraction of its open baseline. Default 0.6. */
  closeRatio?: number;
  /** ...and as open again above this fraction (hysteresis). Default 0.85. */
  openRatio?: number;
  /** Shortest lid closure counted as a blink, ms. Default 100. */
  minClosureMs?: number;
  /** Longest lid closure counted as a blink, ms (longer: eyes shut, looking down). Default 400. */
  maxClosureMs?: number;
  /** The open-eye baseline is the median EAR of open frames in this trailing window, ms. Default 5000. */
  baselineWindowMs?: number;
  /** Frames needed in the window before anything is counted. Default 3. */
  minBaselineFrames?: number;
  /**
   * A gap between two frames longer than this (face lost, stalled stream) cancels a closure in
   * progress: it cannot be timed. Default 1500 ms (sparse streams of ~1 fps still work).
   */
  maxGapMs?: number;
  /**
   * Frames closer than this in time could show a blink (a typical closure, about twice the shortest,
   * spans at least one frame). Default `2 * minClosureMs` (200 ms: 5 fps or more).
   */
  maxObservableGapMs?: number;
  /** Faces narrower than this (jaw end to jaw end, px) are too small to see a blink. Default 80. */
  minFaceWidth?: number;
}

/** Jaw end to jaw end (parts 0 and 16 of the 68), or the spread of the points for other layouts. */
export function faceWidth(points: readonly Point[]): number {
  if (points.length === 68) return Math.hypot(points[16][0] - points[0][0], points[16][1] - points[0][1]);
  const xs = points.map((p) => p[0]);
  return Math.max(...xs) - Math.min(...xs);
}

/**
 * Counts blinks of one face from its landmarks, robustly to who it is and to the frame rate:
 * each eye's EAR is compared with that eye's own open-eye baseline (a running median), both eyes
 * must close together (below `closeRatio` x baseline) and reopen (above `openRatio` x baseline),
 * and the closure must have lasted `minClosureMs`-`maxClosureMs` judged from the frames'
 * timestamps. With sparse frames the closure time is only known to lie between the time spent in
 * closed frames and the time between the open frames around them; a blink is counted when that
 * interval overlaps the allowed range ({@link BaselineEvents} does the bookkeeping).
 *
 * Assumptions: a roughly frontal face at least ~80 px wide (smaller faces make the eye points
 * jitter by a large fraction of the eye's height), frames at 5 fps or more for timing to mean
 * something (at 30 fps a blink spans 3-12 frames; at NUAA's ~1.2 fps it is caught only when a
 * frame falls inside it). Each update says whether those assumptions held for its frame
 * (`observable`: baseline known, face >= `minFaceWidth`, frames <= `maxObservableGapMs` apart), so
 * that the time without a blink is only counted against a face while a blink could have been seen.
 */
export class BlinkDetector implements BlinkCounter {
  private count = 0;
  private readonly events: BaselineEvents;
  private readonly o: Required<BlinkDetectorOptions>;

  constructor(options: BlinkDetectorOptions = {}) {
    this.o = {
      closeRatio: options.closeRatio ?? 0.6,
      openRatio: options.openRatio ?? 0.85,
      minClosureMs: options.minClosureMs ?? 100,
      maxClosureMs: options.maxClosureMs ?? 400,
      baselineWindowMs: options.baselineWindowMs ?? 5000,
      minBaselineFrames: options.minBaselineFrames ?? 3,
      maxGapMs: options.maxGapMs ?? 1500,
      maxObservableGapMs: options.maxObservableGapMs ?? 2 * (options.minClosureMs ?? 100),
      minFaceWidth: options.minFaceWidth ?? 80,
    };
    const o = this.o;
    checkNonNegative('blink detector', o);
    if (!(o.closeRatio < o.openRatio && o.openRatio <= 1)) {
      throw new InvalidInputError(
        `blink detector needs closeRatio < openRatio <= 1, got ${o.closeRatio} and ${o.openRatio}`,
      );
    }
    if (o.minClosureMs > o.maxClosureMs) {
      throw new InvalidInputError(`minClosureMs ${o.minClosureMs} is above maxClosureMs ${o.maxClosureMs}`);
    }
    this.events = new BaselineEvents(
      {
        minMs: o.minClosureMs,
        maxMs: o.maxClosureMs,
        baselineWindowMs: o.baselineWindowMs,
        minBaselineFrames: o.minBaselineFrames,
        maxGapMs: o.maxGapMs,
      },
      {
        starts: (ears, base) => ears.every((e, k) => e < o.closeRatio * base[k]),
        ends: (ears, base) => ears.every((e, k) => e > o.openRatio * base[k]),
      },
      'blink detector',
    );
  }

  get blinks(): number {
    return this.count;
  }

  /** The open-eye baseline EAR of each eye, `[right, left]`, or undefined while warming up. */
  baseline(): [right: number, left: number] | undefined {
    return this.events.baseline() as [number, number] | undefined;
  }

  update(points: readonly Point[], timestampMs: number): BlinkUpdate {
    const ears = eyeAspectRatios(points);
    const ear = (ears[0] + ears[1]) / 2;
    const { event, gap, baseline } = this.events.step(ears, timestampMs);
    if (event) this.count++;
    const observable =
      baseline !== undefined && gap <= this.o.maxObservableGapMs && faceWidth(points) >= this.o.minFaceWidth;
    return { blinks: this.count, ear, blinked: event, observable };
  }
}

/** Options of {@link originalBlinkCounter}; the defaults are the original project's. */
export interface OriginalBlinkOptions {
  /** EAR below which an eye counts as closed. Default 0.30. */
  threshold?: number;
  /** Consecutive closed frames needed before reopening counts a blink. Default 2. */
  consecutiveFrames?: number;
}

/**
 * The original project's counter, kept for comparison: per eye, a blink is counted when the EAR
 * comes back to >= 0.30 after at least 2 consecutive frames below it; the total is the sum over
 * both eyes (so one real blink usually counts 2). Frame-rate dependent, and it counts on photos.
 */
export function originalBlinkCounter(options: OriginalBlinkOptions = {}): BlinkCounter {
  const threshold = options.threshold ?? 0.3;
  const needed = options.consecutiveFrames ?? 2;
  const below = [0, 0];
  let count = 0;
  return {
    get blinks() {
      return count;
    },
    update(points: readonly Point[]): BlinkUpdate {
      const ears = eyeAspectRatios(points);
      let blinked = false;
      ears.forEach((e, eye) => {
        if (e < threshold) {
          below[eye]++;
        } else {
          if (below[eye] >= needed) {
            count++;
            blinked = true;
          }
          below[eye] = 0;
        }
      });
      return { blinks: count, ear: (ears[0] + ears[1]) / 2, blinked };
    },
  };
}
