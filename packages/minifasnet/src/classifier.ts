import { readFile } from 'node:fs/promises';
import {
  assertFrame,
  type Box,
  type ClassifierLike,
  type Frame,
  InvalidInputError,
  ModelFormatError,
  prepareOnnxRuntime,
} from '@face-liveness/core';
import * as ort from 'onnxruntime-node';
import { boxInCrop, silentFaceInput } from './crop.js';
import { type MiniFasNetMember, type MiniFasNetModel, resolveMiniFasNet } from './models.js';

/** Options of {@link MiniFasNetClassifier.load}. */
export interface MiniFasNetOptions {
  /** Decision threshold on P(live) instead of the model's (the dev threshold for the shipped names). */
  threshold?: number;
  /** ONNX Runtime threads per model. Default 1: the models are tiny and the detector has its own thread. */
  threads?: number;
}

/** The verdict on one face. */
export interface MiniFasNetResult {
  /** P(live): the live class of the members' mean softmax. */
  score: number;
  /** The mean softmax over Silent-Face's three classes (1 is live, 0 and 2 are attack types). */
  probabilities: number[];
}

function softmax(logits: Float32Array): number[] {
  const max = Math.max(...logits);
  const exp = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

/**
 * Silent-Face's MiniFASNet as a face-liveness classifier: each model sees the face in its own
 * window (`scale` times the box, shifted inside the frame), and P(live) is the mean of their live
 * softmax, which is Silent-Face's fused score (its demo sums the softmax and halves the live one).
 */
export class MiniFasNetClassifier implements ClassifierLike {
  readonly threshold: number;
  /**
   * The framing `classify(crop)` expects: the largest member's scale as a margin per side. The
   * engine uses {@link classifyFace} instead, which frames each model exactly as Silent-Face does.
   */
  readonly cropMargin: number;
  private closed = false;

  private constructor(
    readonly model: MiniFasNetModel,
    private readonly sessions: ort.InferenceSession[],
    threshold: number | undefined,
  ) {
    this.threshold = threshold ?? model.threshold;
    this.cropMargin = (Math.max(...model.members.map((m) => m.scale)) - 1) / 2;
  }

  /**
   * Loads `minifasnet` (V2 2.7 + V1SE 4.0 fused, the default), `minifasnet-v2` or `minifasnet-v1se`
   * from this package, or Silent-Face models from a path (see `resolveMiniFasNet`).
   */
  static async load(
    nameOrPath = 'minifasnet',
    options: MiniFasNetOptions = {},
  ): Promise<MiniFasNetClassifier> {
    const { threshold, threads = 1 } = options;
    if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
      throw new InvalidInputError(`threshold must be in [0, 1], got ${threshold}`);
    }
    if (!(Number.isInteger(threads) && threads > 0)) {
      throw new InvalidInputError(`threads must be a positive integer, got ${threads}`);
    }
    const model = resolveMiniFasNet(nameOrPath);
    const sessions: ort.InferenceSession[] = [];
    try {
      for (const member of model.members) sessions.push(await openSession(member, threads));
    } catch (error) {
      await Promise.all(sessions.map((s) => s.release()));
      throw error;
    }
    return new MiniFasNetClassifier(model, sessions, threshold);
  }

  /** P(live) of the face in `box` (pixels of `frame`, any detector box in the res10 convention). */
  async classifyFace(frame: Frame, box: Box): Promise<MiniFasNetResult> {
    if (this.closed) throw new InvalidInputError('the MiniFASNet classifier was closed');
    assertFrame(frame);
    const { members, liveIndex } = this.model;
    const sum: number[] = [];
    for (const [i, member] of members.entries()) {
      const p = await this.run(i, silentFaceInput(frame, box, member.scale, member.size));
      p.forEach((v, k) => {
        sum[k] = (sum[k] ?? 0) + v;
      });
    }
    const probabilities = sum.map((v) => v / members.length);
    return { score: probabilities[liveIndex], probabilities };
  }

  /**
   * P(live) of a face crop made with {@link cropMargin} per side (e.g. `cropFace(frame, box, {
   * margin: classifier.cropMargin })`): each model takes its window around the crop's centre part.
   * Near the frame's edge such a crop is clipped, so prefer {@link classifyFace} on the whole frame.
   */
  classify(crop: Frame): Promise<MiniFasNetResult> {
    return this.classifyFace(crop, boxInCrop(crop, this.cropMargin));
  }

  private async run(index: number, data: Float32Array): Promise<number[]> {
    const session = this.sessions[index];
    const { size } = this.model.members[index];
    const input = new ort.Tensor('float32', data, [1, 3, size, size]);
    const outputs = await session.run({ [session.inputNames[0]]: input });
    try {
      return softmax(outputs[session.outputNames[0]].data as Float32Array);
    } finally {
      input.dispose();
      for (const tensor of Object.values(outputs)) tensor.dispose();
    }
  }

  /** Releases the ONNX Runtime sessions, once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.sessions.map((s) => s.release()));
  }
}

async function openSession(member: MiniFasNetMember, threads: number): Promise<ort.InferenceSession> {
  const bytes = await readFile(member.path);
  prepareOnnxRuntime();
  try {
    return await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  } catch (error) {
    throw new ModelFormatError(`${member.path} is not a model ONNX Runtime can load`, { cause: error });
  }
}
