import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelFormatError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LivenessMetadata } from '../metadata.js';
import { validateMetadata } from '../metadata.js';
import { MODEL_JSON, WEIGHTS_BIN } from './load.js';

/** Where a model is written: a directory path (created; existing files are replaced) or a tfjs `IOHandler`. */
export type LivenessModelDestination = string | tf.io.IOHandler;

/** Writes `path` through a temporary file, so that a reader never sees it half written. */
export async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
}

/** A tfjs IOHandler writing the model directory that `FileSystemHandler` reads. */
export class ModelDirectoryWriter implements tf.io.IOHandler {
  constructor(readonly dir: string) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new ModelFormatError('only layers models (JSON topology) can be saved as a model directory');
    }
    await mkdir(this.dir, { recursive: true });
    const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology ?? {},
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    };
    // weights first: a model.json never points at weights that are not there yet
    await writeAtomically(join(this.dir, WEIGHTS_BIN), new Uint8Array(weights));
    await writeAtomically(join(this.dir, MODEL_JSON), `${JSON.stringify(modelJson)}\n`);
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }
}

/** Saves a model with its metadata (in `model.json`'s `userDefinedMetadata`) to a directory or IOHandler. */
export async function saveLivenessModel(
  model: tfl.LayersModel,
  destination: LivenessModelDestination,
  metadata: LivenessMetadata,
): Promise<void> {
  const outputUnits = model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 0;
  validateMetadata(metadata, 'the metadata to save', model.inputs[0].shape, outputUnits);
  model.setUserDefinedMetadata(metadata);
  const handler =
    typeof destination === 'string' ? new ModelDirectoryWriter(resolve(destination)) : destination;
  await model.save(handler);
}
