import {
  type BoxCalibration,
  RES10_FROM_BLAZEFACE_FULL,
  RES10_FROM_BLAZEFACE_SHORT,
} from '@face-liveness/core';
import { FULL_RANGE_ANCHORS, SHORT_RANGE_ANCHORS, type SsdAnchorOptions } from './anchors.js';
import { type BlazeFaceDecodeOptions, FULL_RANGE_DECODE, SHORT_RANGE_DECODE } from './decode.js';

/** `'short'`: faces within about 2 m (128x128 input); `'full'`: within about 5 m (192x192). */
export type BlazeFaceRange = 'short' | 'full';

/** Everything that differs between the two BlazeFace models of `@mediapipe/face_detection`. */
export interface BlazeFaceVariant {
  /** Model store key. */
  modelName: string;
  /** File name inside the npm package. */
  tflite: string;
  /** File name of its ONNX conversion, in this package's `models/` and in the model store. */
  onnxFile: string;
  anchors: SsdAnchorOptions;
  /** Decoding; its `minScoreThresh` is MediaPipe's default confidence for the model. */
  decode: BlazeFaceDecodeOptions;
  /** Map to res10-like boxes, fitted for this model. */
  calibration: BoxCalibration;
}

export const BLAZEFACE_VARIANTS: Record<BlazeFaceRange, BlazeFaceVariant> = {
  short: {
    modelName: 'blazeface-short',
    tflite: 'face_detection_short_range.tflite',
    onnxFile: 'blazeface-short-range.onnx',
    anchors: SHORT_RANGE_ANCHORS,
    decode: SHORT_RANGE_DECODE,
    calibration: RES10_FROM_BLAZEFACE_SHORT,
  },
  full: {
    modelName: 'blazeface-full',
    tflite: 'face_detection_full_range.tflite',
    onnxFile: 'blazeface-full-range.onnx',
    anchors: FULL_RANGE_ANCHORS,
    decode: FULL_RANGE_DECODE,
    calibration: RES10_FROM_BLAZEFACE_FULL,
  },
};
