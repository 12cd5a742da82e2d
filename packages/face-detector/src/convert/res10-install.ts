import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModelEntry } from '@face-liveness/core';
import { InvalidInputError, ModelNotFoundError, ModelStore } from '@face-liveness/core';
import { RES10_INT8_MODEL_NAME, RES10_MODEL_NAME } from '../face-detector.js';
import { caffeToSsd } from './caffe.js';
import { calibrationFrames } from './calibration-frames.js';
import { quantizeSsd } from './quantize.js';
import type { SsdNet } from './ssd-net.js';
import { foldAffine, toOnnx } from './ssd-net.js';
import { tensorflowToSsd } from './tensorflow.js';

/** Local files of one of the two published forms of the res10 detector. */
export type Res10Files =
  | { from: 'tensorflow'; pb: string; pbtxt: string }
  | { from: 'caffe'; prototxt: string; caffemodel: string };

/** OpenCV's published TensorFlow form, fetched by `installRes10({ from: 'url' })` and checked by hash. */
export const RES10_DOWNLOADS = [
  {
    file: 'opencv_face_detector_uint8.pb',
    url: 'https://raw.githubusercontent.com/opencv/opencv_3rdparty/dnn_samples_face_detector_20180220_uint8/opencv_face_detector_uint8.pb',
    hash: 'sha1',
    digest: '4f2fdf6f231d759d7bbdb94353c5a68690f3d2ae',
  },
  {
    file: 'opencv_face_detector.pbtxt',
    url: 'https://raw.githubusercontent.com/opencv/opencv/4.x/samples/dnn/face_detector/opencv_face_detector.pbtxt',
    hash: 'sha256',
    digest: '5397808362fc6fb7c4044484848e297b22449d913a267fa7f8bd9d86dce29144',
  },
] as const;

/** The file names of the converted detectors inside the model store. */
export const RES10_STORE_FILE = 'res10-ssd.onnx';
export const RES10_INT8_STORE_FILE = 'res10-ssd-int8.onnx';

/** Conversion options: `int8` quantises with activation ranges observed on calibration images. */
export interface Res10ConvertOptions {
  /** A folder of images (searched recursively) like those the detector will see; up to 32 are used. */
  int8Calibration?: string;
}

async function readInput(path: string, option: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error);
    throw new InvalidInputError(`cannot read ${option} ${resolve(path)}: ${why}`, { cause: error });
  }
}

async function readNet(files: Res10Files): Promise<SsdNet> {
  if (files.from === 'tensorflow') {
    const [pb, pbtxt] = await Promise.all([readInput(files.pb, '--pb'), readInput(files.pbtxt, '--pbtxt')]);
    return tensorflowToSsd({ pb, pbtxt: pbtxt.toString('utf8'), pbName: files.pb, pbtxtName: files.pbtxt });
  }
  const [prototxt, caffemodel] = await Promise.all([
    readInput(files.prototxt, '--prototxt'),
    readInput(files.caffemodel, '--caffemodel'),
  ]);
  return caffeToSsd({
    prototxt: prototxt.toString('utf8'),
    caffemodel,
    prototxtName: files.prototxt,
    caffemodelName: files.caffemodel,
  });
}

async function toModel(net: SsdNet, options: Res10ConvertOptions): Promise<Uint8Array> {
  if (options.int8Calibration === undefined) return toOnnx(foldAffine(net));
  return quantizeSsd(net, await calibrationFrames(options.int8Calibration));
}

/** Converts local TensorFlow or Caffe files to the ONNX model (bytes), float32 or int8. */
export async function convertRes10Files(
  files: Res10Files,
  options: Res10ConvertOptions = {},
): Promise<Uint8Array> {
  return toModel(await readNet(files), options);
}

const OFFLINE_HELP =
  'download these files on a connected machine:\n' +
  RES10_DOWNLOADS.map((d) => `  ${d.url}`).join('\n') +
  '\nthen run `face-liveness models install res10 --pb opencv_face_detector_uint8.pb --pbtxt opencv_face_detector.pbtxt`' +
  ' (or, with the Caffe files, `--prototxt deploy.prototxt --caffemodel res10_300x300_ssd_iter_140000.caffemodel`)';

/** Fetches OpenCV's published TensorFlow files and checks their hashes. */
async function download(fetchImpl: typeof fetch): Promise<{ pb: Buffer; pbtxt: Buffer }> {
  const got: Buffer[] = [];
  for (const d of RES10_DOWNLOADS) {
    let bytes: Buffer;
    try {
      const response = await fetchImpl(d.url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw new ModelNotFoundError(`cannot download ${d.url} (${(error as Error).message}); ${OFFLINE_HELP}`);
    }
    const digest = createHash(d.hash).update(bytes).digest('hex');
    if (digest !== d.digest) {
      throw new ModelNotFoundError(
        `${d.url} has ${d.hash} ${digest}, expected ${d.digest}: refusing it; ${OFFLINE_HELP}`,
      );
    }
    got.push(bytes);
  }
  return { pb: got[0], pbtxt: got[1] };
}

/**
 * Converts the res10 detector into the model store as `res10-ssd` (file `res10-ssd.onnx`), or, with
 * `int8Calibration`, as `res10-ssd-int8`: from local files, or from OpenCV's published weights
 * (`{ from: 'url' }`, hash-checked).
 */
export async function installRes10(
  source: Res10Files | { from: 'url'; fetch?: typeof fetch },
  store: ModelStore = new ModelStore(),
  options: Res10ConvertOptions = {},
): Promise<ModelEntry> {
  let net: SsdNet;
  let from: string[];
  if (source.from === 'url') {
    const { pb, pbtxt } = await download(source.fetch ?? fetch);
    from = RES10_DOWNLOADS.map((d) => d.url);
    net = tensorflowToSsd({ pb, pbtxt: pbtxt.toString('utf8'), pbName: from[0], pbtxtName: from[1] });
  } else {
    net = await readNet(source);
    from = (
      source.from === 'tensorflow' ? [source.pb, source.pbtxt] : [source.prototxt, source.caffemodel]
    ).map((p) => resolve(p));
  }
  const bytes = await toModel(net, options);
  const int8 = options.int8Calibration !== undefined;
  const calibrated = int8 ? ` (int8, calibrated on ${resolve(options.int8Calibration as string)})` : '';
  return store.installBytes(
    int8 ? RES10_INT8_MODEL_NAME : RES10_MODEL_NAME,
    int8 ? RES10_INT8_STORE_FILE : RES10_STORE_FILE,
    bytes,
    `converted from ${from.join(' + ')}${calibrated}`,
  );
}
