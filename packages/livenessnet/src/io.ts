import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, ModelFormatError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// Registers the RgbHsv layer, so that models holding it load.
import './colour-spaces.js';
import { importKerasModel, isHdf5File } from './keras-import.js';
import type { LivenessMetadata } from './metadata.js';
import { validateMetadata } from './metadata.js';

/** The file names of a saved model directory. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** A model held in memory: the parsed or raw `model.json` and the `weights.bin` bytes. */
export interface InMemoryModel {
  modelJson: tf.io.ModelJSON | Uint8Array | string;
  weights: Uint8Array | ArrayBuffer;
}

/**
 * Where a model is read from: a directory holding `model.json` + `weights.bin` (or the path of
 * that `model.json`), a Keras HDF5 file (imported on the fly), an `http(s)://` or `file://` URL of
 * a `model.json`, a model in memory, or any tfjs `IOHandler`.
 */
export type LivenessModelSource = string | URL | InMemoryModel | tf.io.IOHandler;

/** Where a model is written: a directory path (created; existing files are replaced) or a tfjs `IOHandler`. */
export type LivenessModelDestination = string | tf.io.IOHandler;

/** A loaded model and its metadata. */
export interface LoadedLivenessModel {
  model: tfl.LayersModel;
  metadata: LivenessMetadata;
}

/** Writes `path` through a temporary file, so that a reader never sees it half written. */
export async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
}

/**
 * A tfjs IOHandler on a directory of the Node file system: `model.json` (topology, weights
 * manifest, metadata) and `weights.bin`. tfjs-node has its own `file://` handler; this one needs no
 * native code.
 */
export class FileSystemHandler implements tf.io.IOHandler {
  constructor(readonly dir: string) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new ModelFormatError('only layers models (JSON topology) can be saved by FileSystemHandler');
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

  async load(): Promise<tf.io.ModelArtifacts> {
    const jsonPath = join(this.dir, MODEL_JSON);
    let modelJson: tf.io.ModelJSON;
    try {
      modelJson = JSON.parse(await readFile(jsonPath, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new InvalidInputError(`no ${MODEL_JSON} in model directory ${this.dir}`);
      throw new ModelFormatError(`${jsonPath} is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const specs = manifest.flatMap((group) => group.weights);
      const buffers: ArrayBuffer[] = [];
      for (const group of manifest) {
        for (const path of group.paths) {
          const file = join(this.dir, path);
          const bytes = await readFile(file).catch((error) => {
            throw new ModelFormatError(`${jsonPath} lists weights file ${path}, which cannot be read`, {
              cause: error,
            });
          });
          buffers.push(
            bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
          );
        }
      }
      return [specs, tf.io.concatenateArrayBuffers(buffers)];
    });
  }
}

function isIOHandler(source: unknown): source is tf.io.IOHandler {
  return typeof source === 'object' && source !== null && ('load' in source || 'save' in source);
}

function memoryHandler(source: InMemoryModel): tf.io.IOHandler {
  const { modelJson, weights } = source;
  const json: tf.io.ModelJSON =
    typeof modelJson === 'string'
      ? JSON.parse(modelJson)
      : modelJson instanceof Uint8Array
        ? JSON.parse(new TextDecoder().decode(modelJson))
        : modelJson;
  const bytes = weights instanceof Uint8Array ? weights.slice().buffer : weights;
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  return tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: bytes,
    userDefinedMetadata: json.userDefinedMetadata,
    format: json.format,
  });
}

/** Turns a source into an IOHandler, or reports that it is a Keras file to import. */
function resolveSource(
  source: LivenessModelSource,
): { handler: tf.io.IOHandler; where: string } | { keras: string } {
  if (isIOHandler(source)) return { handler: source, where: 'the given IOHandler' };
  if (typeof source === 'object' && !(source instanceof URL)) {
    return { handler: memoryHandler(source), where: 'the in-memory model' };
  }
  const text = source.toString();
  if (/^https?:\/\//i.test(text)) return { handler: tf.io.http(text), where: text };
  const path = resolve(text.startsWith('file://') ? fileURLToPath(text) : text);
  if (!existsSync(path)) throw new InvalidInputError(`model not found: ${path}`);
  if (statSync(path).isDirectory()) return { handler: new FileSystemHandler(path), where: path };
  if (path.endsWith('.json')) return { handler: new FileSystemHandler(dirname(path)), where: path };
  return { keras: path };
}

/**
 * Loads a LivenessNet and its metadata from any {@link LivenessModelSource}. Keras HDF5 files
 * (such as the original `liveness.model`) are imported in memory with {@link importKerasModel}'s
 * defaults. Call `selectBackend()` first.
 */
export async function loadLivenessModel(source: LivenessModelSource): Promise<LoadedLivenessModel> {
  const resolved = resolveSource(source);
  if ('keras' in resolved) {
    if (!(await isHdf5File(resolved.keras))) {
      throw new ModelFormatError(
        `${resolved.keras} is neither a model directory (model.json + weights.bin) nor a Keras HDF5 file`,
      );
    }
    return importKerasModel(resolved.keras);
  }
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(resolved.handler);
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(`cannot load the model from ${resolved.where}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const outputUnits = model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 0;
    const metadata = validateMetadata(
      model.getUserDefinedMetadata(),
      resolved.where,
      model.inputs[0].shape,
      outputUnits,
    );
    return { model, metadata };
  } catch (error) {
    model.dispose();
    throw error;
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
  const handler = typeof destination === 'string' ? new FileSystemHandler(resolve(destination)) : destination;
  await model.save(handler);
}
