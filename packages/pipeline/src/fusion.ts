import { InvalidInputError } from '@face-liveness/core';
import type { QualityCode } from './quality/assess.js';
import { describeGateReasons } from './quality/gate.js';

/**
 * How a track's evidence becomes a verdict (see the README for when to use which):
 * - `passive`: the classifier alone; mean P(live) against its decision threshold.
 * - `blink`: as `passive`, but `live` also needs at least one blink (a printed photo cannot blink).
 * - `original`: the original demo's gate: no verdict until more than 10 blinks, then the classifier.
 * - `fused` (default): the classifier decides; a face it finds live only hesitantly and that shows no
 *   blink while its eyes are in view for `noBlinkTimeoutMs` is `spoof` (a printed photo).
 */
export type FusionPolicy = 'passive' | 'blink' | 'original' | 'fused';

export const FUSION_POLICIES: readonly FusionPolicy[] = ['passive', 'blink', 'original', 'fused'];

export type Verdict = 'live' | 'spoof' | 'undecided';

/** Options of the fusion rules; thresholds derive from the classifier's own decision threshold. */
export interface FusionOptions {
  /** Default `fused`. */
  policy?: FusionPolicy;
  /** P(live) at or above which a score counts as live; default: the classifier's `threshold`, else 0.5. */
  threshold?: number;
  /** Classified frames needed before any verdict. Default 5 (about 1/6 s at 30 FPS). */
  minFrames?: number;
  /** Blinks needed by the `original` policy: strictly more than this. Default 10 (the original's rule). */
  originalBlinks?: number;
  /**
   * `fused`: a mean score at or above `threshold + confidentMargin * (1 - threshold)` is live whether
   * or not the face blinks. Default 0.5 (halfway between the threshold and certainty).
   */
  confidentMargin?: number;
  /**
   * `fused`: time with the eyes in view (see {@link TrackEvidence.watchedMs}) and no blink after
   * which a hesitant live score becomes `spoof`. Default 30000 ms: people blink 4.5 times a minute
   * while reading and about 17 at rest (Bentivoglio et al. 1997), so even a reader goes 30 s without
   * a blink only about one time in ten (Poisson, 4.5 per minute), a resting face almost never.
   */
  noBlinkTimeoutMs?: number;
  /** Smoothing factor of the exponential moving average of the score. Default 0.2. */
  emaAlpha?: number;
}

/** Everything a track's verdict rests on. */
export interface TrackEvidence {
  /** Frames the face was seen in (detected or tracked). */
  frames: number;
  /** Frames whose crop was classified and whose P(live) counts (not gated). */
  classifiedFrames: number;
  /**
   * Frames whose P(live) was kept out of the score because the face failed a quality check
   * (`qualityGate`); they still count as seen, and their landmarks still count blinks.
   */
  gatedFrames: number;
  /** Of the gated frames, how many failed each check (a frame may fail several). */
  gateReasons: Partial<Record<QualityCode, number>>;
  /** Mean P(live) over the classified frames (NaN before the first). */
  score: number;
  /** Exponential moving average of P(live): what the overlay shows. */
  emaScore: number;
  /** Lowest and highest per-frame P(live). */
  minScore: number;
  maxScore: number;
  /** Blinks counted on this face. */
  blinks: number;
  /** Time since the track started. */
  durationMs: number;
  /** Time since the last blink (or since the start when none). */
  sinceBlinkMs: number;
  /**
   * Of the time since the last blink (or the start), the part during which a blink would have been
   * seen (the blink counter's `observable` frames: face large enough, frames close enough in time).
   */
  watchedMs: number;
}

/** A verdict and the rule that produced it, in words. */
export interface Decision {
  verdict: Verdict;
  reason: string;
}

/** Fusion options with defaults filled in, validated once. */
export type ResolvedFusion = Required<FusionOptions>;

export function resolveFusion(options: FusionOptions, classifierThreshold = 0.5): ResolvedFusion {
  const resolved: ResolvedFusion = {
    policy: options.policy ?? 'fused',
    threshold: options.threshold ?? classifierThreshold,
    minFrames: options.minFrames ?? 5,
    originalBlinks: options.originalBlinks ?? 10,
    confidentMargin: options.confidentMargin ?? 0.5,
    noBlinkTimeoutMs: options.noBlinkTimeoutMs ?? 30_000,
    emaAlpha: options.emaAlpha ?? 0.2,
  };
  if (!FUSION_POLICIES.includes(resolved.policy)) {
    throw new InvalidInputError(
      `unknown policy '${resolved.policy}'; use one of ${FUSION_POLICIES.join(', ')}`,
    );
  }
  for (const key of ['threshold', 'confidentMargin', 'emaAlpha'] as const) {
    const v = resolved[key];
    if (!(v >= 0 && v <= 1)) throw new InvalidInputError(`${key} must be in [0, 1], got ${v}`);
  }
  if (!(Number.isInteger(resolved.minFrames) && resolved.minFrames >= 1)) {
    throw new InvalidInputError(`minFrames must be a positive integer, got ${resolved.minFrames}`);
  }
  return resolved;
}

function pct(x: number): string {
  return x.toFixed(3);
}

/**
 * Applies `fusion.policy` to a track's evidence; frames kept out by the quality gate are named
 * at the end of the reason, and a track with nothing but gated frames is `undecided`.
 */
export function decide(e: TrackEvidence, fusion: ResolvedFusion): Decision {
  const gated = e.gatedFrames ?? 0;
  if (gated === 0) return decideOnScores(e, fusion);
  const reasons = describeGateReasons(e.gateReasons ?? {});
  // Bad pictures are no evidence of an attack: say what to fix rather than `spoof`.
  if (e.classifiedFrames === 0) {
    return { verdict: 'undecided', reason: `face quality too low in every frame: ${reasons}` };
  }
  const d = decideOnScores(e, fusion);
  return { ...d, reason: `${d.reason}; ${gated} frames left out for quality (${reasons})` };
}

function decideOnScores(e: TrackEvidence, fusion: ResolvedFusion): Decision {
  const { threshold, minFrames } = fusion;
  if (fusion.policy === 'original' && e.blinks <= fusion.originalBlinks) {
    return {
      verdict: 'undecided',
      reason: `${e.blinks} blinks; the original rule needs > ${fusion.originalBlinks}`,
    };
  }
  if (e.classifiedFrames < minFrames) {
    return { verdict: 'undecided', reason: `${e.classifiedFrames}/${minFrames} frames classified` };
  }
  const modelLive = e.score >= threshold;
  const model = `mean P(live) ${pct(e.score)} ${modelLive ? '>=' : '<'} threshold ${pct(threshold)}`;
  if (!modelLive) return { verdict: 'spoof', reason: model };
  switch (fusion.policy) {
    case 'passive':
    case 'original':
      return { verdict: 'live', reason: model };
    case 'blink':
      return e.blinks > 0
        ? { verdict: 'live', reason: `${model}, ${e.blinks} blinks` }
        : { verdict: 'undecided', reason: `${model}, waiting for a blink` };
    case 'fused': {
      if (e.blinks > 0) return { verdict: 'live', reason: `${model}, ${e.blinks} blinks` };
      const confident = threshold + fusion.confidentMargin * (1 - threshold);
      if (e.score >= confident)
        return { verdict: 'live', reason: `${model}, confident (>= ${pct(confident)})` };
      if (e.watchedMs >= fusion.noBlinkTimeoutMs) {
        return {
          verdict: 'spoof',
          reason: `${model} but no blink in ${Math.round(e.watchedMs / 1000)} s with the eyes in view`,
        };
      }
      return {
        verdict: 'live',
        reason: `${model}, no blink yet (eyes in view ${Math.round(e.watchedMs / 1000)} s of ${Math.round(fusion.noBlinkTimeoutMs / 1000)} s)`,
      };
    }
  }
}

/** Accumulates one track's scores and blinks over time. */
export class EvidenceAccumulator {
  private readonly e: TrackEvidence = {
    frames: 0,
    classifiedFrames: 0,
    gatedFrames: 0,
    gateReasons: {},
    score: Number.NaN,
    emaScore: Number.NaN,
    minScore: Number.NaN,
    maxScore: Number.NaN,
    blinks: 0,
    durationMs: 0,
    sinceBlinkMs: 0,
    watchedMs: 0,
  };
  private sum = 0;
  private lastBlinkMs: number;
  private lastMs: number;

  constructor(
    private readonly startMs: number,
    private readonly emaAlpha: number,
  ) {
    this.lastBlinkMs = startMs;
    this.lastMs = startMs;
  }

  /** Frames recorded so far. */
  get frames(): number {
    return this.e.frames;
  }

  /** Blinks counted so far. */
  get blinks(): number {
    return this.e.blinks;
  }

  /**
   * Records one frame of the track: its P(live) when classified, the blink count so far, whether a
   * blink could have been seen since the frame before (the blink counter's `observable`), and the
   * quality checks that gate this frame's score (non-empty: the score is kept out and counted).
   */
  add(
    timestampMs: number,
    score: number | undefined,
    blinks: number,
    observable = false,
    gatedBy: readonly QualityCode[] = [],
  ): void {
    const e = this.e;
    e.frames++;
    e.durationMs = timestampMs - this.startMs;
    if (blinks > e.blinks) {
      this.lastBlinkMs = timestampMs;
      e.watchedMs = 0;
    } else if (observable) {
      e.watchedMs += timestampMs - this.lastMs;
    }
    this.lastMs = timestampMs;
    e.blinks = blinks;
    e.sinceBlinkMs = timestampMs - this.lastBlinkMs;
    if (score === undefined || Number.isNaN(score)) return;
    if (gatedBy.length > 0) {
      e.gatedFrames++;
      for (const code of gatedBy) e.gateReasons[code] = (e.gateReasons[code] ?? 0) + 1;
      return;
    }
    const first = e.classifiedFrames === 0;
    e.classifiedFrames++;
    this.sum += score;
    e.score = this.sum / e.classifiedFrames;
    e.emaScore = first ? score : this.emaAlpha * score + (1 - this.emaAlpha) * e.emaScore;
    e.minScore = first ? score : Math.min(e.minScore, score);
    e.maxScore = first ? score : Math.max(e.maxScore, score);
  }

  /** A plain copy, safe to keep or serialise. */
  snapshot(): TrackEvidence {
    return { ...this.e, gateReasons: { ...this.e.gateReasons } };
  }
}
