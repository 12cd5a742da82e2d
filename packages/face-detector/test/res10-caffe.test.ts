import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iou, ModelFormatError, readImage } from '@face-liveness/core';
import { missing } from '@face-liveness/core/testing';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaffeWeights, readCaffeModel, writeCaffeModel } from '../src/convert/caffe-model.js';
import { convertCaffe, parseTextFormat, type TextMessage } from '../src/convert/index.js';
import { readTensorflowWeights } from '../src/convert/tensorflow.js';
import { readTextGraph } from '../src/convert/tf-graph.js';
import { FaceDetector } from '../src/face-detector.js';
import { res10Input } from '../src/res10/preprocess.js';
import { CAFFE_PROTOTXT, convertTfToTemp, FACEAPI_IMAGES, TF_PB, TF_PBTXT } from './res10-files.js';

const CAFFE_BN_EPS = 1e-5;

/**
 * A .caffemodel for the real deploy.prototxt, filled with the TensorFlow graph's (dequantised)
 * weights. Where the TensorFlow graph folded a BatchNorm into a bias offset, the Caffe BatchNorm
 * gets mean = -offset and variance = 1 - eps, which is the same function.
 */
function caffeModelFromTensorflow(prototxt: string): Uint8Array {
  const tf = readTensorflowWeights(readFileSync(TF_PB));
  const graph = new Map(readTextGraph(readFileSync(TF_PBTXT, 'utf8'), 'pbtxt').map((n) => [n.name, n]));
  const floats = (name: string) => Float32Array.from(tf(name).values);
  const blob = (data: Float32Array, dims = [data.length]) => ({ dims, data });
  const layers: CaffeWeights[] = [];
  for (const layer of parseTextFormat(prototxt).layer as TextMessage[]) {
    const name = String(layer.name[0]);
    const type = String(layer.type[0]);
    if (type === 'Convolution') {
      const w = tf(`${name}/weights`);
      const [kh, kw, cin, cout] = w.dims;
      const oihw = new Float32Array(w.values.length);
      for (let i = 0; i < w.values.length; i++) {
        const o = i % cout;
        const c = Math.floor(i / cout) % cin;
        const x = Math.floor(i / (cout * cin)) % kw;
        const y = Math.floor(i / (cout * cin * kw));
        oihw[((o * cin + c) * kh + y) * kw + x] = w.values[i];
      }
      const param = (layer.convolution_param[0] ?? {}) as TextMessage;
      const hasBias = param.bias_term?.[0] !== false;
      layers.push({
        name,
        type,
        blobs: [blob(oihw, [cout, cin, kh, kw]), ...(hasBias ? [blob(floats(`${name}/bias`))] : [])],
      });
    } else if (type === 'BatchNorm') {
      const node = graph.get(`${name}/FusedBatchNorm`);
      if (!node) throw new Error(`no TensorFlow node for ${name}`);
      let mean: Float32Array;
      let variance: Float32Array;
      if (node.op === 'FusedBatchNorm') {
        const [gamma, beta] = [floats(`${name}/gamma`), floats(`${name}/beta`)];
        if (gamma.some((g) => g !== 1) || beta.some((b) => b !== 0))
          throw new Error(`${name}: gamma/beta not identity`);
        mean = floats(`${name}/mean`);
        variance = floats(`${name}/std`);
      } else {
        mean = floats(node.inputs[1]).map((b) => -b);
        variance = new Float32Array(mean.length).fill(1 - CAFFE_BN_EPS);
      }
      layers.push({ name, type, blobs: [blob(mean), blob(variance), blob(Float32Array.of(1))] });
    } else if (type === 'Scale') {
      layers.push({ name, type, blobs: [blob(floats(`${name}/mul`)), blob(floats(`${name}/add`))] });
    } else if (type === 'Normalize') {
      layers.push({ name, type, blobs: [blob(floats(`${name}/mul`))] });
    }
  }
  return writeCaffeModel('res10_from_tensorflow', layers);
}

const absent = missing(TF_PB, TF_PBTXT, CAFFE_PROTOTXT, FACEAPI_IMAGES);

describe.skipIf(absent !== undefined)(`res10 converted from Caffe ${absent ?? ''}`, () => {
  let dir: string;
  let tfModel: Awaited<ReturnType<typeof convertTfToTemp>>;
  let caffeOnnx: Uint8Array;
  let caffemodelPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'res10-caffe-'));
    const prototxt = readFileSync(CAFFE_PROTOTXT, 'utf8');
    caffemodelPath = join(dir, 'res10_300x300_ssd_iter_140000.caffemodel');
    await writeFile(caffemodelPath, caffeModelFromTensorflow(prototxt));
    caffeOnnx = convertCaffe({ prototxt, caffemodel: await readFile(caffemodelPath) });
    tfModel = await convertTfToTemp();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await tfModel?.cleanup();
  });

  it('writes a .caffemodel that reads back with every weighted layer', async () => {
    const layers = readCaffeModel(await readFile(caffemodelPath), 'written');
    expect(layers.get('conv1_h')?.blobs.map((b) => b.dims)).toEqual([[32, 3, 7, 7], [32]]);
    expect(layers.get('layer_512_1_conv2_h')?.blobs.map((b) => b.dims)).toEqual([[256, 128, 3, 3]]);
    expect(layers.get('conv4_3_norm')?.blobs[0].data).toHaveLength(128);
  });

  it('gives the same network outputs as the TensorFlow conversion', async () => {
    const [a, b] = await Promise.all([
      ort.InferenceSession.create(tfModel.bytes),
      ort.InferenceSession.create(caffeOnnx),
    ]);
    try {
      for (const file of ['bbt1.jpg', 'bbt4.jpg']) {
        const frame = await readImage(join(FACEAPI_IMAGES, file));
        const data = new ort.Tensor('float32', res10Input(frame), [1, 3, 300, 300]);
        const [ra, rb] = [await a.run({ data }), await b.run({ data })];
        for (const out of ['loc', 'conf']) {
          const x = ra[out].data as Float32Array;
          const y = rb[out].data as Float32Array;
          expect(y).toHaveLength(x.length);
          let worst = 0;
          for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
          expect(worst, `${file} ${out}`).toBeLessThan(1e-3);
        }
      }
    } finally {
      await Promise.all([a.release(), b.release()]);
    }
  });

  it('finds the same faces as the TensorFlow conversion', async () => {
    const [fromTf, fromCaffe] = await Promise.all([
      FaceDetector.create({ model: tfModel.path }),
      FaceDetector.create({ model: caffeOnnx }),
    ]);
    try {
      let faces = 0;
      for (const file of ['bbt1.jpg', 'bbt2.jpg', 'bbt3.jpg', 'bbt4.jpg', 'bbt5.jpg']) {
        const frame = await readImage(join(FACEAPI_IMAGES, file));
        const [x, y] = [await fromTf.detect(frame), await fromCaffe.detect(frame)];
        expect(y.length, file).toBe(x.length);
        x.forEach((face, i) => {
          expect(iou(face.box, y[i].box)).toBeGreaterThan(0.99);
          expect(Math.abs(face.score - y[i].score)).toBeLessThan(1e-3);
        });
        faces += x.length;
      }
      expect(faces).toBeGreaterThan(10);
    } finally {
      await Promise.all([fromTf.close(), fromCaffe.close()]);
    }
  });

  it('rejects a .caffemodel that is not one, naming the file', () => {
    const prototxt = readFileSync(CAFFE_PROTOTXT, 'utf8');
    const bad = () =>
      convertCaffe({
        prototxt,
        caffemodel: new TextEncoder().encode('not a model'),
        caffemodelName: 'x.caffemodel',
      });
    expect(bad).toThrow(ModelFormatError);
    expect(bad).toThrow(/x\.caffemodel/);
    const empty = writeCaffeModel('empty', [{ name: 'conv1_h', type: 'Convolution', blobs: [] }]);
    expect(() => convertCaffe({ prototxt, caffemodel: empty })).toThrow(
      /'data_bn' \(BatchNorm\) needs 3 weight blobs/,
    );
  });
});
