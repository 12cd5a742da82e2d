import { assertFrame, type Box, type Frame, InvalidInputError, type Point } from '@face-liveness/core';
import { eyeAspectRatios, type HeadPose, type HeadPoseFit } from '@face-liveness/landmarks';
import { facePose } from './face-pose.js';
import { measureFace } from './measure.js';

/** Why a face or a frame is not good enough; each check has one code, named after its failure. */
export type QualityCode =
  | 'no-face'
  | 'several-faces'
  | 'too-small'
  | 'blurry'
  | 'too-dark'
  | 'too-bright'
  | 'clipped'
  | 'turned'
  | 'tilted'
  | 'leaning'
  | 'unsure-landmarks'
  | 'eyes-closed';

/** One check: `ok` when `value` is at least (`bound: 'min'`) or at most (`'max'`) `limit`. */
export interface QualityCheck {
  code: QualityCode;
  ok: boolean;
  value: number;
  limit: number;
  bound: 'min' | 'max';
  /** What the person in front of the camera can do about it; present when the check failed. */
  message?: string;
}

/** A face's checks; `ok` when every one passed. */
export interface FaceQuality {
  ok: boolean;
  box: Box;
  /** The head pose the checks used: the one given, else fitted to the landmarks (absent when neither could be had). */
  pose?: HeadPose | HeadPoseFit;
  checks: QualityCheck[];
}

/** A frame's quality: its own checks (how many faces) and each face's. */
export interface FrameQuality {
  ok: boolean;
  frame: QualityCheck[];
  faces: FaceQuality[];
}

/** A face to assess: its box, and what is known of it (pose and EAR are computed from landmarks when missing). */
export interface QualityFace {
  box: Box;
  landmarks?: readonly Point[];
  pose?: HeadPose | HeadPoseFit;
  /** Mean eye aspect ratio of both eyes. */
  ear?: number;
}

/**
 * The limits of {@link assessFrameQuality}. The defaults were placed on training-side data only
 * (HELEN, dlib's example faces, NUAA train subjects) with synthetic blur, darkening, brightening
 * and downscaling; `packages/pipeline/README.md` ("Face quality") says how, and
 * `bench/quality-thresholds.mjs` reproduces the numbers.
 */
export interface QualityOptions {
  /** Fewest pixels on the face box's shorter side. Default 67. */
  minFaceSize?: number;
  /** Lowest sharpness (Laplacian variance at 128 x 128). Default 4.1. */
  minSharpness?: number;
  /** Lowest mean luma of the face. Default 67. */
  minBrightness?: number;
  /** Highest mean luma of the face. Default 200. */
  maxBrightness?: number;
  /** Highest fraction of the face's pixels clipped to black or white. Default 0.33. */
  maxClipped?: number;
  /** Largest |yaw|, degrees. Default 35. */
  maxYaw?: number;
  /** Largest |pitch|, degrees. Default 25. */
  maxPitch?: number;
  /** Largest |roll|, degrees. Default 23. */
  maxRoll?: number;
  /** Largest relative reprojection error of the pose fit (see `HeadPoseFit.relativeError`). Default 0.12. */
  maxPoseError?: number;
  /** Lowest mean eye aspect ratio. Default 0.15. */
  minEar?: number;
  /** Most faces in the frame. Default 1. */
  maxFaces?: number;
}

export const QUALITY_DEFAULTS: Required<QualityOptions> = {
  minFaceSize: 67,
  minSharpness: 4.1,
  minBrightness: 67,
  maxBrightness: 200,
  maxClipped: 0.33,
  maxYaw: 35,
  maxPitch: 25,
  maxRoll: 23,
  maxPoseError: 0.12,
  minEar: 0.15,
  maxFaces: 1,
};

const round = (v: number) => Math.round(v * 1000) / 1000;

function check(
  code: QualityCode,
  value: number,
  limit: number,
  bound: 'min' | 'max',
  message: string,
): QualityCheck {
  const ok = bound === 'min' ? value >= limit : value <= limit;
  return { code, ok, value: round(value), limit, bound, ...(ok ? {} : { message }) };
}

/**
 * The limits with the defaults filled in; an {@link InvalidInputError} names a bad one (`prefix`
 * says where it was given, e.g. `qualityGate.`).
 */
export function resolveQualityOptions(options: QualityOptions, prefix = ''): Required<QualityOptions> {
  const o = { ...QUALITY_DEFAULTS, ...options };
  for (const [name, value] of Object.entries(o)) {
    if (!(name in QUALITY_DEFAULTS)) {
      throw new InvalidInputError(
        `unknown quality option ${prefix}${name}; use one of ${Object.keys(QUALITY_DEFAULTS).join(', ')}`,
      );
    }
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new InvalidInputError(`quality option ${prefix}${name} must be a number >= 0, got ${value}`);
    }
  }
  return o;
}

/** The checks of one face (see {@link assessFrameQuality}), with limits already resolved. */
export function assessFaceQuality(frame: Frame, face: QualityFace, o: Required<QualityOptions>): FaceQuality {
  const { box, landmarks } = face;
  const size = Math.min(box[2] - box[0], box[3] - box[1]);
  const checks = [
    check(
      'too-small',
      size,
      o.minFaceSize,
      'min',
      `face too small (${Math.round(size)} px): move closer to the camera`,
    ),
  ];
  const m = measureFace(frame, box);
  if (m) {
    checks.push(
      check(
        'blurry',
        m.sharpness,
        o.minSharpness,
        'min',
        'image blurred: hold still, clean the lens or let the camera focus',
      ),
      check('too-dark', m.brightness, o.minBrightness, 'min', 'too dark: face a light, or turn one on'),
      check(
        'too-bright',
        m.brightness,
        o.maxBrightness,
        'max',
        'too bright: move out of direct light or away from the window',
      ),
      check(
        'clipped',
        m.clipped,
        o.maxClipped,
        'max',
        'parts of the face are burnt out or black: avoid strong light or deep shadow on the face',
      ),
    );
  }
  const pose = face.pose ?? (landmarks ? facePose(landmarks, frame) : undefined);
  if (pose) {
    checks.push(
      check('turned', Math.abs(pose.yaw), o.maxYaw, 'max', 'face turned away: look straight at the camera'),
      check(
        'tilted',
        Math.abs(pose.pitch),
        o.maxPitch,
        'max',
        'head tilted up or down: hold the camera at eye level',
      ),
      check(
        'leaning',
        Math.abs(pose.roll),
        o.maxRoll,
        'max',
        'head leaning sideways: hold your head (or the camera) upright',
      ),
    );
    if ('relativeError' in pose && typeof pose.relativeError === 'number') {
      checks.push(
        check(
          'unsure-landmarks',
          pose.relativeError,
          o.maxPoseError,
          'max',
          'face not found clearly: face the camera, uncover it, and hold still',
        ),
      );
    }
  }
  const ear = face.ear ?? (landmarks && landmarks.length === 68 ? meanEar(landmarks) : undefined);
  if (ear !== undefined && Number.isFinite(ear)) {
    checks.push(
      check(
        'eyes-closed',
        ear,
        o.minEar,
        'min',
        'eyes closed or hidden: open your eyes, take off dark glasses',
      ),
    );
  }
  return { ok: checks.every((c) => c.ok), box, ...(pose ? { pose } : {}), checks };
}

function meanEar(points: readonly Point[]): number {
  const [right, left] = eyeAspectRatios(points);
  return (right + left) / 2;
}

/**
 * The quality of one frame for a liveness check, as plain data: per face, its size, sharpness,
 * exposure, pose (when landmarks or a pose are given) and open eyes (when landmarks or an EAR are);
 * per frame, that there is exactly one face (up to `maxFaces`). Every failed check carries a code
 * and a sentence a person can act on. Checks whose inputs are missing are left out, not failed.
 */
export function assessFrameQuality(
  frame: Frame,
  faces: readonly QualityFace[],
  options: QualityOptions = {},
): FrameQuality {
  assertFrame(frame);
  const o = resolveQualityOptions(options);
  return frameQualityOf(
    faces.map((f) => assessFaceQuality(frame, f, o)),
    o,
  );
}

/** A frame's quality from its faces' own (already assessed with the limits `o`): adds the frame's checks. */
export function frameQualityOf(assessed: FaceQuality[], o: Required<QualityOptions>): FrameQuality {
  const faces = assessed;
  const checks = [
    check('no-face', faces.length, 1, 'min', 'no face found: face the camera, in the middle of the picture'),
    check(
      'several-faces',
      faces.length,
      o.maxFaces,
      'max',
      'more than one face: only the person checking should be in view',
    ),
  ];
  return { ok: checks.every((c) => c.ok) && assessed.every((f) => f.ok), frame: checks, faces: assessed };
}
