import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '@face-liveness/core/testing';
import { convertTensorflow } from '../src/convert/index.js';

export const TF_PB = sharedPath('models', 'res10-tensorflow', 'opencv_face_detector_uint8.pb');
export const TF_PBTXT = sharedPath('models', 'res10-tensorflow', 'opencv_face_detector.pbtxt');
export const CAFFE_PROTOTXT = sharedPath('models', 'res10-caffe', 'deploy.prototxt');
export const FIXTURES_300 = sharedPath('fixtures', 'res10', 'opencv-inputs-300.jsonl');
export const FIXTURES_FULL = sharedPath('fixtures', 'res10', 'opencv-full-size.jsonl');
export const FACEAPI_IMAGES = sharedPath('data', 'faceapi-testdata', 'examples', 'images');

export interface OpenCvRow {
  image: string;
  width: number;
  height: number;
  /** [score, x1, y1, x2, y2], normalised, unclipped. */
  detections: number[][];
}

export function readFixtures(path: string): OpenCvRow[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OpenCvRow);
}

/** Converts the TensorFlow res10 once into a temp dir (call from beforeAll; remove with `cleanup`). */
export async function convertTfToTemp(): Promise<{
  dir: string;
  path: string;
  bytes: Uint8Array;
  cleanup: () => Promise<void>;
}> {
  const bytes = convertTensorflow({ pb: readFileSync(TF_PB), pbtxt: readFileSync(TF_PBTXT, 'utf8') });
  const dir = await mkdtemp(join(tmpdir(), 'res10-'));
  const path = join(dir, 'res10.onnx');
  await writeFile(path, bytes);
  return { dir, path, bytes, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
