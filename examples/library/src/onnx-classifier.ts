import { type Frame, InvalidInputError, resizeBilinear } from '@face-liveness/core';
import type { ClassifierLike } from '@face-liveness/pipeline';
import * as ort from 'onnxruntime-node';

/** How to feed and read an ONNX anti-spoofing model. */
export interface OnnxClassifierOptions {
  /** Input size of the model (its NCHW input is 1x3xHxW). */
  width: number;
  height: number;
  /** Channel order the model was trained on. */
  channelOrder: 'RGB' | 'BGR';
  /** Multiplier of the 0..255 pixel values (1 for raw values, 1/255 for [0, 1]). */
  scale: number;
  /** Index of the live class in the model's softmax or logits output. */
  liveIndex: number;
  /** Decision threshold on P(live). Default 0.5. */
  threshold?: number;
}

function softmax(logits: Float32Array): Float32Array {
  const max = Math.max(...logits);
  const exp = logits.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

/**
 * A pipeline classifier around any ONNX model with one image input and class logits out, e.g.
 * Silent-Face's MiniFASNet. The pipeline calls `classify` with each face crop and averages the scores.
 */
export class OnnxClassifier implements ClassifierLike {
  readonly threshold: number;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly options: OnnxClassifierOptions,
  ) {
    this.threshold = options.threshold ?? 0.5;
  }

  static async load(path: string, options: OnnxClassifierOptions): Promise<OnnxClassifier> {
    const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1 });
    return new OnnxClassifier(session, options);
  }

  async classify(crop: Frame): Promise<{ score: number }> {
    const { width, height, channelOrder, scale, liveIndex } = this.options;
    const resized = resizeBilinear(crop, width, height);
    const plane = width * height;
    const input = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) {
        const source = channelOrder === 'BGR' ? 2 - c : c;
        input[c * plane + i] = resized.data[i * 3 + source] * scale;
      }
    }
    const feeds = { [this.session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, height, width]) };
    const outputs = await this.session.run(feeds);
    const output = outputs[this.session.outputNames[0]];
    const logits = output.data as Float32Array;
    if (liveIndex >= logits.length) {
      throw new InvalidInputError(`liveIndex ${liveIndex} is outside the model's ${logits.length} outputs`);
    }
    const score = softmax(logits)[liveIndex];
    for (const tensor of Object.values(outputs)) tensor.dispose();
    return { score };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
