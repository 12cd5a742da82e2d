import { ModelFormatError } from '@face-liveness/core';

/** Tag written into every saved model's metadata; anything else is not ours. */
export const METADATA_FORMAT = 'face-liveness/livenessnet@1';

/**
 * What a saved LivenessNet carries in its `model.json` (`userDefinedMetadata`): everything needed
 * to feed it the same pixels it was trained on and to read its output.
 */
export interface LivenessMetadata {
  format: typeof METADATA_FORMAT;
  /** Architecture name in the registry, e.g. `livenessnet-v1`, or `keras-sequential` for other imports. */
  architecture: string;
  /** Model input in pixels. */
  inputSize: { width: number; height: number };
  /** Channel order the model expects. The original (OpenCV) models are `BGR`; models trained here are `RGB`. */
  channelOrder: 'RGB' | 'BGR';
  /** Label of each softmax output, by index. One of them must be `real` (the live class). */
  classNames: string[];
  /** Pixel preprocessing: `value * scale` after resizing with `resize`. */
  preprocessing: {
    /** Multiplier applied to 0..255 values (1/255 for LivenessNet). */
    scale: number;
    /** `bilinear`: OpenCV INTER_LINEAR (core's `resizeBilinear`), the resize the original used. */
    resize: 'bilinear';
    /**
     * How images were decoded for training: `opencv` (cv2.imread: CMYK JPEGs converted without their
     * ICC profile, see core's `readImageLikeOpenCV`) or `standard` (core's `readImage`). Default `standard`.
     */
    decoder?: 'opencv' | 'standard';
    /**
     * Fraction of the face box's width/height added on every side before cropping (see
     * `cropFace`): the framing the model was trained on, which inference must repeat. Default 0.
     */
    cropMargin?: number;
  };
  /** A face is live when P(real) >= threshold. */
  threshold: number;
  /** Where the weights came from: the training data, or the imported file. */
  trainedOn: string;
  /** Training state, for resuming: epochs run, optimizer steps taken, options used. */
  training?: TrainingRecord;
}

/** What training records in the metadata so that a later run can resume. */
export interface TrainingRecord {
  epochs: number;
  iterations: number;
  learningRate: number;
  decay: number;
  batchSize: number;
  seed?: number;
}

/** Metadata of a freshly built model trained on this project's RGB frames. */
export function defaultMetadata(
  architecture: string,
  width: number,
  height: number,
  trainedOn = 'untrained',
): LivenessMetadata {
  return {
    format: METADATA_FORMAT,
    architecture,
    inputSize: { width, height },
    channelOrder: 'RGB',
    classNames: ['fake', 'real'],
    preprocessing: { scale: 1 / 255, resize: 'bilinear' },
    threshold: 0.5,
    trainedOn,
  };
}

/** Index of the live class. */
export function liveIndex(metadata: LivenessMetadata): number {
  return metadata.classNames.indexOf('real');
}

/**
 * Checks metadata read from a file (`where` names it in errors) against the model's input and
 * output shapes.
 */
export function validateMetadata(
  raw: unknown,
  where: string,
  inputShape: readonly (number | null)[],
  outputUnits: number,
): LivenessMetadata {
  const m = raw as Partial<LivenessMetadata> | undefined;
  if (!m || m.format !== METADATA_FORMAT) {
    throw new ModelFormatError(
      `${where} has no face-liveness metadata (userDefinedMetadata.format '${METADATA_FORMAT}'): ` +
        'save models with saveLivenessModel() or import Keras files with `face-liveness models import-keras`',
    );
  }
  const bad = (what: string) => new ModelFormatError(`${where}: metadata ${what}`);
  const { inputSize, classNames, channelOrder, preprocessing, threshold } = m;
  if (!inputSize || !Number.isInteger(inputSize.width) || !Number.isInteger(inputSize.height)) {
    throw bad('inputSize must be {width, height} integers');
  }
  if (inputShape[1] !== inputSize.height || inputShape[2] !== inputSize.width || inputShape[3] !== 3) {
    throw bad(
      `inputSize ${inputSize.width}x${inputSize.height} disagrees with the model's input shape [${inputShape.join(', ')}]`,
    );
  }
  if (!Array.isArray(classNames) || classNames.length !== outputUnits || !classNames.includes('real')) {
    throw bad(
      `classNames must name the ${outputUnits} outputs and include 'real', got ${JSON.stringify(classNames)}`,
    );
  }
  if (channelOrder !== 'RGB' && channelOrder !== 'BGR')
    throw bad(`channelOrder must be RGB or BGR, got ${channelOrder}`);
  if (!preprocessing || !(preprocessing.scale > 0) || preprocessing.resize !== 'bilinear') {
    throw bad(`preprocessing must be {scale > 0, resize: 'bilinear'}, got ${JSON.stringify(preprocessing)}`);
  }
  if (
    preprocessing.cropMargin !== undefined &&
    !(preprocessing.cropMargin >= 0 && preprocessing.cropMargin < 10)
  ) {
    throw bad(`preprocessing.cropMargin must be a fraction >= 0, got ${preprocessing.cropMargin}`);
  }
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1))
    throw bad(`threshold must be in [0, 1]`);
  return m as LivenessMetadata;
}
