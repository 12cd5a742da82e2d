import { InvalidInputError } from '@face-liveness/core';

/** Timing and baseline options shared by the blink and mouth-opening detectors. */
export interface BaselineEventOptions {
  /** Shortest event counted, ms. */
  minMs: number;
  /** Longest event counted, ms. */
  maxMs: number;
  /** The baseline is the median of each signal over the resting frames of this trailing window, ms. */
  baselineWindowMs: number;
  /** Frames needed in the window before anything is counted. */
  minBaselineFrames: number;
  /** A gap between two frames longer than this cancels an event in progress: it cannot be timed. */
  maxGapMs: number;
}

/** When a face leaves its resting state and when it is back, given its signals and their baselines. */
export interface EventRule {
  starts(values: readonly number[], baseline: readonly number[]): boolean;
  ends(values: readonly number[], baseline: readonly number[]): boolean;
}

/** What {@link BaselineEvents.step} saw in one frame. */
export interface EventStep {
  /** True when this frame completed an event of an allowed length. */
  event: boolean;
  /** Time since the previous frame, ms. */
  gap: number;
  /** The baselines this frame was judged against; undefined while warming up or when a signal is not finite. */
  baseline?: number[];
}

/** Throws an {@link InvalidInputError} naming the option of `what` that is not a finite number >= 0. */
export function checkNonNegative(what: string, options: Record<string, number>): void {
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidInputError(`${what} option ${name} must be a non-negative number, got ${value}`);
    }
  }
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const m = values.length >> 1;
  return values.length % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
}

/**
 * The state machine behind {@link BlinkDetector} and {@link MouthOpenDetector}: per-face baselines
 * (running medians of resting frames, so that they fit whoever is in front of the camera), entry and
 * exit thresholds apart from each other (hysteresis, given by `rule`), and an event timed from
 * the frames' timestamps. With sparse frames an event's length is only known to lie between the time
 * spent in its frames and the time between the resting frames around them; it is counted when that
 * interval overlaps `minMs`-`maxMs`. Frames inside an event are kept out of the baselines.
 */
export class BaselineEvents {
  private readonly window: { t: number; values: readonly number[] }[] = [];
  private active = false;
  private first = 0;
  private last = 0;
  private restBefore = 0;
  private lastT = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly o: BaselineEventOptions,
    private readonly rule: EventRule,
    private readonly what: string,
  ) {
    checkNonNegative(what, { ...o });
    if (o.minMs > o.maxMs)
      throw new InvalidInputError(
        `${what}: the shortest event (${o.minMs} ms) is longer than the longest (${o.maxMs} ms)`,
      );
  }

  /** True while an event is in progress (since its first frame, until the frame that ends or cancels it). */
  get inEvent(): boolean {
    return this.active;
  }

  /** The baseline of each signal, or undefined while warming up. */
  baseline(): number[] | undefined {
    if (this.window.length < this.o.minBaselineFrames) return undefined;
    return this.window[0].values.map((_, k) => median(this.window.map((s) => s.values[k])));
  }

  step(values: readonly number[], t: number): EventStep {
    if (!Number.isFinite(t) || t <= this.lastT) {
      throw new InvalidInputError(
        `${this.what} timestamps must increase: got ${t} ms after ${this.lastT} ms`,
      );
    }
    const o = this.o;
    const gap = t - this.lastT;
    const previousT = this.lastT;
    this.lastT = t;
    if (!values.every(Number.isFinite)) return { event: false, gap };
    if (this.active && gap > o.maxGapMs) this.active = false;
    const base = this.baseline();
    let event = false;
    if (base && this.active) {
      if (this.rule.ends(values, base)) {
        this.active = false;
        const shortest = this.last - this.first;
        const longest = t - this.restBefore;
        event = longest >= o.minMs && shortest <= o.maxMs;
      } else {
        this.last = t;
        // In this state for longer than the window: whatever this is, it is the new normal.
        if (t - this.first > o.baselineWindowMs) this.active = false;
      }
      if (this.active) return { event, gap, baseline: base };
    } else if (base && this.rule.starts(values, base) && gap <= o.maxGapMs) {
      this.active = true;
      this.first = t;
      this.last = t;
      this.restBefore = previousT;
      return { event, gap, baseline: base };
    }
    this.window.push({ t, values });
    while (this.window[0].t < t - o.baselineWindowMs) this.window.shift();
    return { event, gap, baseline: base };
  }
}
