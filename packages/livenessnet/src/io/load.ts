import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, importOptional, ModelFormatError } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LivenessMetadata } from '../metadata.js';
import { validateMetadata } from '../metadata.js';
import { isHdf5File } from './hdf5-signature.js';
import { assertFiniteWeight } from './sequential.js';

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

/** A loaded model and its metadata. */
export interface LoadedLivenessModel {
  model: LayersModel;
  metadata: LivenessMetadata;
}

/**
 * A tfjs IOHandler reading a model directory of the Node file system: `model.json` (topology, weights
 * manifest, metadata) and `weights.bin`. tfjs-node has its own `file://` handler; this one needs no
 * native code. Writing is the tooling's (`saveLivenessModel` in `./train` and `./keras`).
 */
export class FileSystemHandler implements tf.io.IOHandler {
  constructor(readonly dir: string) {}

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
          const file = resolve(this.dir, path);
          // A weights path is a file of the model's own directory, never ../ or an absolute path.
          if (dirname(file) !== resolve(this.dir)) {
            throw new ModelFormatError(`${jsonPath} lists weights file ${path}, outside the model directory`);
          }
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

/** A model's saved artifacts, and where they came from (for messages). */
export interface ModelSourceArtifacts {
  artifacts: tf.io.ModelArtifacts;
  where: string;
}

/**
 * Reads a source's artifacts (topology, weights, metadata) with tfjs-core only, or reports that it is a
 * Keras HDF5 file, which needs the importer.
 */
export async function readModelArtifacts(
  source: LivenessModelSource,
): Promise<ModelSourceArtifacts | { keras: string }> {
  const resolved = resolveSource(source);
  if ('keras' in resolved) {
    if (!(await isHdf5File(resolved.keras))) {
      throw new ModelFormatError(
        `${resolved.keras} is neither a model directory (model.json + weights.bin) nor a Keras HDF5 file`,
      );
    }
    return resolved;
  }
  if (!resolved.handler.load) throw new InvalidInputError(`${resolved.where} cannot be read (no load())`);
  const artifacts = await resolved.handler.load();
  checkWeightSpecs(artifacts.weightSpecs, resolved.where);
  return { artifacts, where: resolved.where };
}

/** A weights manifest tfjs can decode: each entry a name, a shape of whole numbers and a dtype. */
function checkWeightSpecs(specs: unknown, where: string): void {
  if (specs === undefined) return;
  const bad = (why: string) =>
    new ModelFormatError(
      `${where}: its weights manifest is damaged (${why}); save or download the model again`,
    );
  if (!Array.isArray(specs)) throw bad('weightsManifest holds no list of weights');
  for (const [i, spec] of specs.entries()) {
    const { name, shape, dtype } = (spec ?? {}) as Partial<tf.io.WeightsManifestEntry>;
    if (typeof name !== 'string') throw bad(`weight ${i} has no name`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw bad(`weight ${name} has no valid shape`);
    }
    if (typeof dtype !== 'string') throw bad(`weight ${name} has no dtype`);
  }
}

/** tfjs-layers, which only training, Keras import and models the runtime cannot compile need. */
export async function importLayers(feature: string): Promise<typeof import('@tensorflow/tfjs-layers')> {
  const tfl = await importOptional<typeof import('@tensorflow/tfjs-layers')>(
    '@tensorflow/tfjs-layers',
    feature,
    () => import('@tensorflow/tfjs-layers'),
  );
  // Registers the RgbHsv layer with tfjs-layers' serialization, so that models holding it load.
  await import('../architectures/rgb-hsv-layer.js');
  return tfl;
}

/** Builds a tfjs-layers model from artifacts read by {@link readModelArtifacts}. */
export async function layersModelFrom({
  artifacts,
  where,
}: ModelSourceArtifacts): Promise<LoadedLivenessModel> {
  const tfl = await importLayers(`loading the model at ${where} as a tfjs-layers model`);
  let model: LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof ModelFormatError) throw error;
    // tfjs reads a damaged model.json with TypeErrors from deep inside: name the file, not those.
    const why =
      error instanceof TypeError || error instanceof RangeError
        ? 'its model.json does not describe a model tfjs can build (a damaged or foreign file?)'
        : (error as Error).message;
    throw new ModelFormatError(`cannot load the model from ${where}: ${why}`, { cause: error });
  }
  try {
    assertFiniteWeights(model, where);
    const outputUnits = model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 0;
    const metadata = validateMetadata(
      model.getUserDefinedMetadata(),
      where,
      model.inputs[0].shape,
      outputUnits,
    );
    return { model, metadata };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Loads a LivenessNet as a tfjs-layers model (to train further, inspect or convert it) with its metadata,
 * from any {@link LivenessModelSource}. Needs the optional `@tensorflow/tfjs-layers`; inference does not
 * (`LivenessClassifier.load` compiles saved models to tfjs-core ops). Keras HDF5 files (such as the
 * original `liveness.model`) are imported in memory with `importKerasModel`'s defaults; that importer and
 * h5wasm load only then. Call `selectBackend()` first.
 */
export async function loadLivenessModel(source: LivenessModelSource): Promise<LoadedLivenessModel> {
  return loadedFrom(await readModelArtifacts(source));
}

/** {@link loadLivenessModel} on what {@link readModelArtifacts} read: a Keras file imported, artifacts built. */
export async function loadedFrom(
  read: ModelSourceArtifacts | { keras: string },
): Promise<LoadedLivenessModel> {
  if ('keras' in read) {
    const { importKerasModel } = await import('../keras/import.js');
    return importKerasModel(read.keras);
  }
  return layersModelFrom(read);
}

function assertFiniteWeights(model: LayersModel, where: string): void {
  for (const weight of model.weights) assertFiniteWeight(weight.read().dataSync(), weight.name, where);
}
