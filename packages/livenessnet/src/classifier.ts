import type { Frame } from '@face-liveness/core';
import { InvalidInputError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendName, Predictor } from './backend/index.js';
import { compilePredictor, selectBackend } from './backend/index.js';
import type { LivenessModelSource, ModelSourceArtifacts } from './io/load.js';
import { loadedFrom, readModelArtifacts } from './io/load.js';
import { compileArtifacts } from './io/sequential.js';
import type { LivenessMetadata } from './metadata.js';
import { liveIndex, validateMetadata } from './metadata.js';
import { framesToTensor } from './preprocess.js';

/** The verdict on one face crop. */
export interface LivenessResult {
  /** P(live): the softmax probability of the `real` class. */
  score: number;
  /** `real` when `score >= threshold`, else the most probable other class (`fake`). */
  label: string;
  /** The whole softmax output, indexed like the model's `classNames`. */
  probabilities: number[];
}

/** What evaluation and the pipeline need from a single model or an ensemble. */
export interface LivenessModelLike {
  readonly classNames: readonly string[];
  readonly threshold: number;
  /** How images must be decoded for it (metadata `preprocessing.decoder`). */
  readonly decoder: LivenessMetadata['preprocessing']['decoder'];
  /** Margin around the face box its crops need (metadata `preprocessing.cropMargin`; see `cropFace`). */
  readonly cropMargin: number;
  classify(faceCrop: Frame): Promise<LivenessResult>;
  classifyBatch(faceCrops: readonly Frame[]): Promise<LivenessResult[]>;
  close(): Promise<void>;
}

/** Options of {@link LivenessClassifier.load}. */
export interface ClassifierOptions {
  /** tfjs backend; default: the fastest available (see `selectBackend`). */
  backend?: BackendName;
  /** Refuse a model whose input size differs (e.g. the `-w/-he` the user asked for). */
  expectInputSize?: { width: number; height: number };
  /** Overrides the model's decision threshold on P(real). */
  threshold?: number;
  /** Crops per inference call in `classifyBatch`; default 64. */
  batchSize?: number;
}

/** Turns softmax rows into results. */
export function toResults(
  probabilities: Float32Array | number[],
  classNames: readonly string[],
  threshold: number,
): LivenessResult[] {
  const classes = classNames.length;
  const live = classNames.indexOf('real');
  const results: LivenessResult[] = [];
  for (let offset = 0; offset < probabilities.length; offset += classes) {
    const row = Array.from(probabilities.slice(offset, offset + classes));
    const score = row[live];
    let best = live === 0 ? 1 : 0;
    row.forEach((p, i) => {
      if (i !== live && p > row[best]) best = i;
    });
    results.push({ score, label: score >= threshold ? 'real' : classNames[best], probabilities: row });
  }
  return results;
}

/** A threshold is a probability. */
function checkThreshold(threshold: number | undefined): void {
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    throw new InvalidInputError(`threshold must be in [0, 1], got ${threshold}`);
  }
}

/** Rejects a model whose input size is not the one asked for. */
export function checkInputSize(
  metadata: LivenessMetadata,
  where: string,
  expect?: { width: number; height: number },
) {
  if (!expect) return;
  const { width, height } = metadata.inputSize;
  if (expect.width !== width || expect.height !== height) {
    throw new InvalidInputError(
      `${where} takes ${width}x${height} inputs, not the ${expect.width}x${expect.height} asked for ` +
        `(drop -w/-he or pass --width ${width} --height ${height})`,
    );
  }
}

/** What a classifier runs: its forward pass, how to release it, and the tfjs-layers model behind it, if any. */
interface Forward {
  predict: Predictor;
  dispose(): void;
  model?: LayersModel;
}

function forwardOf(model: LayersModel): Forward {
  // Sequential models run as plain fused ops (`compilePredictor`: the same outputs, without tfjs-layers'
  // per-call overhead, which dominates at batch 1); other topologies through `predict`.
  const predict: Predictor =
    model.getClassName() === 'Sequential' ? compilePredictor(model) : (x) => model.predict(x) as tf.Tensor;
  return { predict, dispose: () => model.dispose(), model };
}

/**
 * The forward pass of what `readModelArtifacts` read: compiled to tfjs-core ops when the compiler
 * knows the model, else the tfjs-layers model (a Keras file, an unknown topology).
 */
async function openForward(
  read: ModelSourceArtifacts | { keras: string },
): Promise<{ forward: Forward; metadata: LivenessMetadata }> {
  // The artifacts already read, not the source again (a URL or a one-shot IOHandler).
  const compiled = 'keras' in read ? undefined : compileArtifacts(read.artifacts, read.where);
  if ('keras' in read || !compiled) {
    const loaded = await loadedFrom(read);
    return { forward: forwardOf(loaded.model), metadata: loaded.metadata };
  }
  const { artifacts, where } = read;
  try {
    const metadata = validateMetadata(
      artifacts.userDefinedMetadata,
      where,
      compiled.inputShape,
      compiled.outputUnits,
    );
    return { forward: compiled, metadata };
  } catch (error) {
    compiled.dispose();
    throw error;
  }
}

/**
 * A LivenessNet ready to classify face crops (RGB {@link Frame}s of any size; they are resized to
 * the model input as the model's metadata says). Saved sequential models run on tfjs-core alone;
 * `@tensorflow/tfjs-layers` loads only for a Keras file or a topology the compiler does not know.
 */
export class LivenessClassifier implements LivenessModelLike {
  readonly threshold: number;
  private closed = false;

  private constructor(
    private readonly forward: Forward,
    readonly metadata: LivenessMetadata,
    threshold: number | undefined,
    private readonly batchSize: number,
  ) {
    this.threshold = threshold ?? metadata.threshold;
  }

  /** The tfjs-layers model, when the classifier was made from one (`fromModel`, a Keras file); else undefined. */
  get model(): LayersModel | undefined {
    return this.forward.model;
  }

  /** Loads a model from any {@link LivenessModelSource} (directory, Keras .h5, URL, memory, IOHandler). */
  static async load(
    source: LivenessModelSource,
    options: ClassifierOptions = {},
  ): Promise<LivenessClassifier> {
    checkThreshold(options.threshold);
    await selectBackend({ backend: options.backend });
    const { forward, metadata } = await openForward(await readModelArtifacts(source));
    try {
      checkInputSize(
        metadata,
        `model ${typeof source === 'string' ? source : ''}`.trim(),
        options.expectInputSize,
      );
    } catch (error) {
      forward.dispose();
      throw error;
    }
    return new LivenessClassifier(forward, metadata, options.threshold, options.batchSize ?? 64);
  }

  /** Wraps a model already in memory (e.g. right after training). The classifier owns it from now on. */
  static fromModel(model: LayersModel, metadata: LivenessMetadata, options: ClassifierOptions = {}) {
    checkThreshold(options.threshold);
    return new LivenessClassifier(forwardOf(model), metadata, options.threshold, options.batchSize ?? 64);
  }

  get classNames(): readonly string[] {
    return this.metadata.classNames;
  }

  get decoder(): LivenessMetadata['preprocessing']['decoder'] {
    return this.metadata.preprocessing.decoder;
  }

  get cropMargin(): number {
    return this.metadata.preprocessing.cropMargin ?? 0;
  }

  /** Index of the `real` output. */
  get liveIndex(): number {
    return liveIndex(this.metadata);
  }

  /** Softmax rows, `classNames.length` numbers per crop, in crop order. */
  async predict(faceCrops: readonly Frame[]): Promise<Float32Array> {
    if (this.closed) throw new InvalidInputError('the classifier was closed');
    const out = new Float32Array(faceCrops.length * this.classNames.length);
    for (let start = 0; start < faceCrops.length; start += this.batchSize) {
      const chunk = faceCrops.slice(start, start + this.batchSize);
      const probabilities = tf.tidy(() => this.forward.predict(framesToTensor(chunk, this.metadata)));
      try {
        out.set(await probabilities.data<'float32'>(), start * this.classNames.length);
      } finally {
        probabilities.dispose();
      }
    }
    return out;
  }

  async classify(faceCrop: Frame): Promise<LivenessResult> {
    return (await this.classifyBatch([faceCrop]))[0];
  }

  async classifyBatch(faceCrops: readonly Frame[]): Promise<LivenessResult[]> {
    return toResults(await this.predict(faceCrops), this.classNames, this.threshold);
  }

  /** Releases the model's tensors. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.forward.dispose();
  }
}
