import {
  containedFraction,
  type DetectedFace,
  type FaceDetectorLike,
  InvalidInputError,
  ModelFormatError,
  ModelNotFoundError,
  ModelStore,
} from '@face-liveness/core';
import { BlazeFaceAutoRange } from './blazeface/auto-range.js';
import { BlazeFaceDetector, type BlazeFaceOptions } from './blazeface/detector.js';
import { BLAZEFACE_VARIANTS, type BlazeFaceRange } from './blazeface/variants.js';
import { FaceDetector, type FaceDetectorOptions, RES10_MODEL_NAME } from './face-detector.js';

/** BlazeFace's range in {@link createFaceDetector}: one model, or `'auto'` to choose per frame. */
export type BlazeFaceRangeChoice = BlazeFaceRange | 'auto';

/** The range choices, for option checks and CLI choices. */
export const BLAZEFACE_RANGE_CHOICES: readonly BlazeFaceRangeChoice[] = ['short', 'full', 'auto'];

/**
 * Options of {@link createFaceDetector}: those both detectors share (each keeps its own defaults,
 * e.g. `nmsThreshold` 0.45 for res10 and 0.3 for BlazeFace), res10's `resize` (default
 * `'letterbox'`) and `minVisible` (default 0.5), and BlazeFace's `boxes` and `range`. `model` is
 * a file (path or bytes) for the chosen detector; with `'auto'` its format decides.
 */
export interface CreateFaceDetectorOptions
  extends Pick<
      FaceDetectorOptions,
      'model' | 'store' | 'nmsThreshold' | 'minFaceSize' | 'threads' | 'resize'
    >,
    Pick<BlazeFaceOptions, 'boxes'> {
  /**
   * BlazeFace's range: `'short'` (default; faces within about 2 m, the webcam case, fastest),
   * `'full'` (within about 5 m: group photos, rooms) or `'auto'`: short range on every frame, and
   * full range too when short range finds no face or only small ones (under 20% of the frame's
   * longer side); see {@link BlazeFaceAutoRange}. `'auto'` runs the shipped models: no `model`.
   */
  range?: BlazeFaceRangeChoice;
  /**
   * `'auto'` (default): the first of {@link DETECTOR_NAMES} that can run here: res10 when it is
   * installed in the store (or `model` is a res10 ONNX file), else BlazeFace, whose models ship
   * with this package. A name forces that detector.
   */
  detector?: DetectorChoice;
  /**
   * Minimum detection score in [0, 1], applied inside the detector. Default: the detector's own,
   * 0.5 for res10 (the original demo's `--confidence`), and MediaPipe's for BlazeFace: 0.5 short
   * range, 0.6 full range.
   */
  confidence?: number;
}

type KindOptions = CreateFaceDetectorOptions & { store: ModelStore };

/** What `'auto'` without a model learns of a kind: the model it would run and why, or why not. */
type Availability = { model?: string; reason: string } | { missing: string };

/** One kind of detector {@link createFaceDetector} can build. */
interface DetectorKind {
  /** Loads it; a `model` of another format is a `ModelFormatError`. */
  create(options: KindOptions): Promise<FaceDetectorLike>;
  /** The model store key of the model it runs with these options. */
  modelName(options: KindOptions): string;
  /** For `'auto'` without `model`. */
  availability(options: KindOptions): Promise<Availability>;
}

// Adding a detector kind is adding an entry here; the order is the order `'auto'` tries them in.
const DETECTOR_KINDS = {
  res10: {
    create: (options) => FaceDetector.create(options),
    modelName: () => RES10_MODEL_NAME,
    async availability({ store }) {
      try {
        const model = await store.resolve(RES10_MODEL_NAME);
        return { model, reason: `res10 is installed (${model})` };
      } catch (error) {
        if (!(error instanceof ModelNotFoundError)) throw error;
        return { missing: `res10 is not installed in ${store.dir}` };
      }
    },
  },
  blazeface: {
    create: ({ range = 'short', ...options }): Promise<BlazeFaceDetector | BlazeFaceAutoRange> => {
      if (range !== 'auto') return BlazeFaceDetector.create({ ...options, range });
      if (options.model !== undefined) {
        throw new InvalidInputError(
          "range 'auto' runs the two shipped BlazeFace models: give range 'short' or 'full' with a model",
        );
      }
      return BlazeFaceAutoRange.create(options);
    },
    modelName: ({ range = 'short' }) =>
      range === 'auto'
        ? `${BLAZEFACE_VARIANTS.short.modelName}+${BLAZEFACE_VARIANTS.full.modelName}`
        : BLAZEFACE_VARIANTS[range].modelName,
    availability: async ({ range = 'short' }) => ({
      reason:
        range === 'auto'
          ? 'BlazeFace short range, and full range on frames without a near face, ships with the package'
          : `BlazeFace ${range}-range (faces within ~${range === 'short' ? 2 : 5} m) ships with the package`,
    }),
  },
} satisfies Record<string, DetectorKind>;

/** A detector kind {@link createFaceDetector} can build. */
export type DetectorName = keyof typeof DETECTOR_KINDS;

/** The detector kinds, in the order `'auto'` prefers them (e.g. for a CLI's `--detector` choices). */
export const DETECTOR_NAMES = Object.keys(DETECTOR_KINDS) as readonly DetectorName[];

/** Which detector {@link createFaceDetector} should build. */
export type DetectorChoice = 'auto' | DetectorName;

/** A face detector that says which model it is. */
export interface SelectedFaceDetector extends FaceDetectorLike {
  /** The detector in use. */
  readonly name: DetectorName;
  /** Its model store key (`res10-ssd`, `blazeface-short` or `blazeface-full`; both joined by `+` for range `'auto'`). */
  readonly modelName: string;
  /** Why it was chosen, one sentence, for logs or `--verbose` output. */
  readonly reason: string;
  /** The underlying detector. */
  readonly detector: Awaited<ReturnType<(typeof DETECTOR_KINDS)[DetectorName]['create']>>;
}

/**
 * The faces without those lying mostly (over 70% of their area) inside a more confident face's box:
 * res10 sometimes keeps a box on the chin or an eye beside the face's own after NMS, and BlazeFace
 * at low confidence a box inside the face. Most confident first. Every user of `createFaceDetector`
 * (the CLI's detect, the pipeline's engine) sees the same faces.
 */
export function dropPartFaces(faces: readonly DetectedFace[]): DetectedFace[] {
  const kept: DetectedFace[] = [];
  for (const face of [...faces].sort((a, b) => b.score - a.score)) {
    if (!kept.some((k) => containedFraction(face.box, k.box) > 0.7)) kept.push(face);
  }
  return kept;
}

/**
 * Builds the face detector the options ask for, or with `detector: 'auto'` the best one available
 * offline: OpenCV's res10 when installed (`face-liveness models install res10`), else BlazeFace
 * short-range, shipped with this package. Prints nothing: the result's `name` and `reason` say
 * what was picked.
 *
 * ```ts
 * const detector = await createFaceDetector({ confidence: 0.7 });
 * console.log(detector.name, detector.reason);
 * const faces = await detector.detect(frame);
 * await detector.close();
 * ```
 */
export async function createFaceDetector(
  options: CreateFaceDetectorOptions = {},
): Promise<SelectedFaceDetector> {
  const { detector: choice = 'auto', ...rest } = options;
  if (rest.range !== undefined && !BLAZEFACE_RANGE_CHOICES.includes(rest.range)) {
    throw new InvalidInputError(`range must be 'short', 'full' or 'auto', got '${rest.range}'`);
  }
  const kindOptions: KindOptions = { ...rest, store: options.store ?? new ModelStore() };
  if (choice !== 'auto') {
    if (!Object.hasOwn(DETECTOR_KINDS, choice)) {
      const names = ['auto', ...DETECTOR_NAMES].map((n) => `'${n}'`).join(', ');
      throw new InvalidInputError(`detector must be one of ${names}, got '${choice}'`);
    }
    const range = choice === 'blazeface' && rest.range ? ` (${rest.range} range)` : '';
    return select(choice, kindOptions, `asked for ${choice}${range}`);
  }
  if (kindOptions.model !== undefined) return selectByModel(kindOptions);
  const missing: string[] = [];
  for (const name of DETECTOR_NAMES) {
    const kind: DetectorKind = DETECTOR_KINDS[name];
    const found = await kind.availability(kindOptions);
    if ('missing' in found) {
      missing.push(found.missing);
      continue;
    }
    return select(name, { ...kindOptions, model: found.model }, [...missing, found.reason].join('; '));
  }
  throw new ModelNotFoundError(`no face detector can run: ${missing.join('; ')}`);
}

/** The first kind whose model `options.model` is. */
async function selectByModel(options: KindOptions): Promise<SelectedFaceDetector> {
  const rejections: string[] = [];
  for (const name of DETECTOR_NAMES) {
    try {
      return await select(name, options, `the model file is a ${name} model`);
    } catch (error) {
      if (!(error instanceof ModelFormatError)) throw error;
      rejections.push(`${name}: ${error.message}`);
    }
  }
  throw new ModelFormatError(`the model is no known face detector's (${rejections.join('; ')})`);
}

async function select(
  name: DetectorName,
  options: KindOptions,
  reason: string,
): Promise<SelectedFaceDetector> {
  const kind = DETECTOR_KINDS[name];
  const detector = await kind.create(options);
  return {
    name,
    modelName: kind.modelName(options),
    reason,
    detector,
    detect: async (frame) => dropPartFaces(await detector.detect(frame)),
    close: () => detector.close(),
  };
}
