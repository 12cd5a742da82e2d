import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModelEntry } from '@face-liveness/core';
import { InvalidInputError, ModelNotFoundError, ModelStore } from '@face-liveness/core';
import { convertCaffe } from '../convert/caffe.js';
import { convertTensorflow } from '../convert/tensorflow.js';
import { RES10_MODEL_NAME } from '../face-detector.js';

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

/** The file name of the converted detector inside the model store. */
export const RES10_STORE_FILE = 'res10-ssd.onnx';

async function readInput(path: string, option: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error);
    throw new InvalidInputError(`cannot read ${option} ${resolve(path)}: ${why}`, { cause: error });
  }
}

/** Converts local TensorFlow or Caffe files to the ONNX model (bytes). */
export async function convertRes10Files(files: Res10Files): Promise<Uint8Array> {
  if (files.from === 'tensorflow') {
    const [pb, pbtxt] = await Promise.all([readInput(files.pb, '--pb'), readInput(files.pbtxt, '--pbtxt')]);
    return convertTensorflow({ pb, pbtxt: pbtxt.toString('utf8'), pbName: files.pb, pbtxtName: files.pbtxt });
  }
  const [prototxt, caffemodel] = await Promise.all([
    readInput(files.prototxt, '--prototxt'),
    readInput(files.caffemodel, '--caffemodel'),
  ]);
  return convertCaffe({
    prototxt: prototxt.toString('utf8'),
    caffemodel,
    prototxtName: files.prototxt,
    caffemodelName: files.caffemodel,
  });
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
 * Converts the res10 detector into the model store as `res10-ssd` (file `res10-ssd.onnx`): from
 * local files, or from OpenCV's published weights (`{ from: 'url' }`, hash-checked).
 */
export async function installRes10(
  source: Res10Files | { from: 'url'; fetch?: typeof fetch },
  store: ModelStore = new ModelStore(),
): Promise<ModelEntry> {
  if (source.from === 'url') {
    const { pb, pbtxt } = await download(source.fetch ?? fetch);
    const bytes = convertTensorflow({
      pb,
      pbtxt: pbtxt.toString('utf8'),
      pbName: RES10_DOWNLOADS[0].url,
      pbtxtName: RES10_DOWNLOADS[1].url,
    });
    return store.installBytes(
      RES10_MODEL_NAME,
      RES10_STORE_FILE,
      bytes,
      `converted from ${RES10_DOWNLOADS.map((d) => d.url).join(' + ')}`,
    );
  }
  const bytes = await convertRes10Files(source);
  const from =
    source.from === 'tensorflow' ? [source.pb, source.pbtxt] : [source.prototxt, source.caffemodel];
  return store.installBytes(
    RES10_MODEL_NAME,
    RES10_STORE_FILE,
    bytes,
    `converted from ${from.map((p) => resolve(p)).join(' + ')}`,
  );
}
