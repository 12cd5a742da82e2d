// The res10 face detector for experiments: converted from ../shared's TensorFlow weights in memory
// (no model store needed), best face per frame as the original's extraction does.
import { readFileSync } from 'node:fs';
import { sharedPath } from '@face-liveness/core/testing';
import { FaceDetector } from '@face-liveness/face-detector';
import { convertTensorflow } from '@face-liveness/face-detector/convert';

export async function createRes10(confidence = 0.5) {
  const model = convertTensorflow({
    pb: readFileSync(sharedPath('models/res10-tensorflow/opencv_face_detector_uint8.pb')),
    pbtxt: readFileSync(sharedPath('models/res10-tensorflow/opencv_face_detector.pbtxt'), 'utf8'),
  });
  return FaceDetector.create({ model, confidence });
}

/** The most confident face, or undefined. */
export async function bestFace(detector, frame) {
  const faces = await detector.detect(frame);
  return faces.reduce((best, f) => (!best || f.score > best.score ? f : best), undefined);
}
