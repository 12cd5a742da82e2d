import { type BlinkDetectorLike, InvalidInputError, ROTATIONS, type Rotation } from '@face-liveness/core';
import { BlinkDetector, originalBlinkCounter } from '@face-liveness/landmarks';
import { type FusionOptions, type ResolvedFusion, resolveFusion } from './fusion.js';
import { type QualityOptions, resolveQualityOptions } from './quality/assess.js';
import { type QualityGateOption, resolveQualityGate } from './quality/gate.js';
import type { TrackerOptions } from './tracker.js';
import type { OrientationMode } from './types.js';

/**
 * Options of one session ({@link LivenessEngine.createSession}): how its stream is scheduled,
 * tracked and judged. Cheap to vary: sessions with different options share one engine.
 */
export interface SessionOptions extends FusionOptions, TrackerOptions {
  /**
   * Run the detector on every n-th frame and carry the faces in between with their landmarks
   * (faster; a face entering the picture waits up to n-1 frames). Default 1 (every frame).
   */
  detectEvery?: number;
  /**
   * Classify each face on every n-th frame of its track (the verdict rests on the mean score, which
   * needs no more than a few samples a second). Default 1 (every frame).
   */
  classifyEvery?: number;
  /** Frame rate assumed for frames pushed without a timestamp. Default 30. */
  fps?: number;
  /**
   * Factory of a per-face blink counter. Default: the landmarks package's `BlinkDetector` (open-eye
   * baseline, hysteresis, closure time); with `policy: 'original'`, the original project's counter.
   */
  blinkDetector?: () => BlinkDetectorLike;
  /**
   * How far (degrees clockwise) to turn the frames so that faces are upright: `auto` (default) finds
   * it (a video turned by 90 or 180 degrees, or carrying a rotation flag); 0 keeps the frames as
   * they are, with no extra detections.
   */
  orientation?: OrientationMode;
  /**
   * Keep the P(live) of a face that fails a quality check (too small, blurred, too dark or bright,
   * burnt out, turned or tilted away, unsure landmarks: `GATING_CODES`) out of its track's score,
   * and count it in `gatedFrames` and `gateReasons` instead: a bad picture is no evidence of an
   * attack. The frame still counts as seen and its landmarks still count blinks; a track whose every
   * classified frame was gated is `undecided`, with what to fix. `false` (default): every score
   * counts; `true`: the default limits (`QUALITY_DEFAULTS`); an object: those limits, which also
   * judge each frame's reported `quality`. Off by default: see the README's "Quality gating" for
   * what it costs and gains on held-out data.
   */
  qualityGate?: QualityGateOption;
}

/** Session options with defaults filled in. */
export interface ResolvedSessionOptions {
  fusion: ResolvedFusion;
  detectEvery: number;
  classifyEvery: number;
  fps: number;
  blinkDetector: () => BlinkDetectorLike;
  tracker: TrackerOptions;
  orientation: OrientationMode;
  /** Whether failed quality checks gate scores (see {@link SessionOptions.qualityGate}). */
  qualityGate: boolean;
  /** The quality limits: of the gate, and of each frame's reported `quality`. */
  quality: Required<QualityOptions>;
}

/** Throws an {@link InvalidInputError} unless `value` is `auto` or a rotation (0, 90, 180, 270). */
export function checkOrientation(value: OrientationMode | undefined): OrientationMode {
  if (value === undefined) return 'auto';
  if (value !== 'auto' && !ROTATIONS.includes(value as Rotation)) {
    throw new InvalidInputError(`orientation must be 'auto', 0, 90, 180 or 270, got ${value}`);
  }
  return value;
}

function positiveInteger(value: number, name: string): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new InvalidInputError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Validates session options (throwing an {@link InvalidInputError} that names the bad one) and
 * fills in the defaults; `classifierThreshold` is the default decision threshold.
 */
export function resolveSessionOptions(
  options: SessionOptions,
  classifierThreshold: number,
): ResolvedSessionOptions {
  const fusion = resolveFusion(options, classifierThreshold);
  const gate = resolveQualityGate(options.qualityGate);
  const fps = options.fps ?? 30;
  if (!(fps > 0)) throw new InvalidInputError(`fps must be positive, got ${options.fps}`);
  return {
    fusion,
    detectEvery: positiveInteger(options.detectEvery ?? 1, 'detectEvery'),
    classifyEvery: positiveInteger(options.classifyEvery ?? 1, 'classifyEvery'),
    fps,
    blinkDetector:
      options.blinkDetector ??
      (fusion.policy === 'original' ? () => originalBlinkCounter() : () => new BlinkDetector()),
    tracker: { minIou: options.minIou, maxCentreShift: options.maxCentreShift, maxAgeMs: options.maxAgeMs },
    orientation: checkOrientation(options.orientation),
    qualityGate: gate !== undefined,
    quality: gate ?? resolveQualityOptions({}),
  };
}
