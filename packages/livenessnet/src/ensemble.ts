import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Frame } from '@face-liveness/core';
import { InvalidInputError } from '@face-liveness/core';
import type { BackendName } from './backend/index.js';
import type { LivenessModelLike, LivenessResult } from './classifier.js';
import { LivenessClassifier, toResults } from './classifier.js';
import { ensembleScore, ensembleThreshold } from './ensemble-rule.js';

/** The file in an ensemble directory that lists its members, one `MODEL_FILE WIDTH HEIGHT` per line. */
export const FRAME_SIZE_FILE = 'frame_size.txt';

/** Whether `dir` is an ensemble directory (holds `frame_size.txt`). */
export function isEnsembleDir(dir: string): boolean {
  return existsSync(join(dir, FRAME_SIZE_FILE));
}

/**
 * Several LivenessNets, each with its own input size (the original's evaluation_ens.py and demo
 * `-ens`), combined by the ensemble rule (`ensembleScore`, `ensembleThreshold`): P(live) is the mean
 * of the members' P(live), the threshold the mean of theirs unless given.
 */
export class LivenessEnsemble implements LivenessModelLike {
  readonly threshold: number;

  constructor(
    readonly members: readonly LivenessClassifier[],
    threshold?: number,
  ) {
    if (members.length === 0) throw new InvalidInputError('an ensemble needs at least one model');
    const names = members[0].classNames.join(',');
    const other = members.find((m) => m.classNames.join(',') !== names);
    if (other) {
      throw new InvalidInputError(
        `ensemble members disagree on their classes: [${names}] vs [${other.classNames.join(',')}]`,
      );
    }
    const margin = members.find((m) => m.cropMargin !== members[0].cropMargin);
    if (margin) {
      throw new InvalidInputError(
        `ensemble members need different face crops (cropMargin ${members[0].cropMargin} vs ${margin.cropMargin}); ` +
          'average models trained on the same framing',
      );
    }
    this.threshold = ensembleThreshold(
      members.map((m) => m.threshold),
      threshold,
    );
  }

  /**
   * Loads the models listed in `dir/frame_size.txt` (paths relative to `dir`; a model directory or
   * a Keras .h5 file each). A listed size that differs from the model's own input is an error.
   */
  static async load(
    dir: string,
    options: { backend?: BackendName; threshold?: number } = {},
  ): Promise<LivenessEnsemble> {
    const listPath = join(resolve(dir), FRAME_SIZE_FILE);
    const text = await readFile(listPath, 'utf8').catch(() => {
      throw new InvalidInputError(`${dir} is not an ensemble directory: ${FRAME_SIZE_FILE} is missing`);
    });
    const members: LivenessClassifier[] = [];
    try {
      for (const [index, line] of text.split(/\r?\n/).entries()) {
        if (!line.trim()) continue;
        const [file, w, h, ...rest] = line.trim().split(/\s+/);
        const width = Number(w);
        const height = Number(h);
        if (rest.length || !Number.isInteger(width) || !Number.isInteger(height)) {
          throw new InvalidInputError(
            `${listPath}:${index + 1}: expected "MODEL_FILE WIDTH HEIGHT", got "${line}"`,
          );
        }
        members.push(
          await LivenessClassifier.load(resolve(dir, file), {
            backend: options.backend,
            expectInputSize: { width, height },
          }),
        );
      }
    } catch (error) {
      await Promise.all(members.map((m) => m.close()));
      throw error;
    }
    if (members.length === 0) throw new InvalidInputError(`${listPath} lists no models`);
    return new LivenessEnsemble(members, options.threshold);
  }

  get classNames(): readonly string[] {
    return this.members[0].classNames;
  }

  /** The first member's decoder (the original's ensembles were all OpenCV-trained). */
  get decoder() {
    return this.members[0].decoder;
  }

  get cropMargin(): number {
    return this.members[0].cropMargin;
  }

  async classify(faceCrop: Frame): Promise<LivenessResult> {
    return (await this.classifyBatch([faceCrop]))[0];
  }

  async classifyBatch(faceCrops: readonly Frame[]): Promise<LivenessResult[]> {
    const outputs: Float32Array[] = [];
    for (const member of this.members) outputs.push(await member.predict(faceCrops));
    // Every softmax entry by the same rule, so that the `real` column is the mean P(live).
    const mean = outputs[0].map((_, i) => ensembleScore(outputs.map((o) => o[i])));
    return toResults(mean, this.classNames, this.threshold);
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.close()));
  }
}
