import type { Frame, ImageSource } from '@face-liveness/core';
import { assertFrame, readImage, readImageLikeOpenCV, resizeBilinear } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LivenessMetadata } from './metadata.js';

type InputSpec = Pick<LivenessMetadata, 'inputSize' | 'channelOrder' | 'preprocessing'>;

/**
 * Writes one face crop into `out` at `offset` as the model expects it: resized to the input size
 * with OpenCV's INTER_LINEAR (what the original used), channels reordered, scaled.
 */
function writeInput(frame: Frame, spec: InputSpec, out: Float32Array, offset: number, what: string): void {
  assertFrame(frame, what);
  const { width, height } = spec.inputSize;
  const sized =
    frame.width === width && frame.height === height ? frame : resizeBilinear(frame, width, height);
  const { data } = sized;
  const scale = spec.preprocessing.scale;
  const [r, b] = spec.channelOrder === 'BGR' ? [2, 0] : [0, 2];
  for (let i = 0; i < data.length; i += 3) {
    out[offset + i + r] = data[i] * scale;
    out[offset + i + 1] = data[i + 1] * scale;
    out[offset + i + b] = data[i + 2] * scale;
  }
}

/** A `[n, height, width, 3]` float tensor of face crops, preprocessed per the model's metadata. */
export function framesToTensor(frames: readonly Frame[], spec: InputSpec): tf.Tensor4D {
  const { width, height } = spec.inputSize;
  const size = width * height * 3;
  const buffer = new Float32Array(frames.length * size);
  frames.forEach((frame, i) => {
    writeInput(frame, spec, buffer, i * size, `face crop ${i}`);
  });
  return tf.tensor4d(buffer, [frames.length, height, width, 3]);
}

/** Decodes an image file the way the model's training images were decoded (see `preprocessing.decoder`). */
export function readImageFor(
  metadata: Pick<LivenessMetadata, 'preprocessing'>,
  source: ImageSource,
): Promise<Frame> {
  return metadata.preprocessing.decoder === 'opencv' ? readImageLikeOpenCV(source) : readImage(source);
}
