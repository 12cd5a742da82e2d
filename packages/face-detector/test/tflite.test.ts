import { readFile } from 'node:fs/promises';
import { ModelFormatError, readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { letterbox } from '../src/blazeface/preprocess.js';
import {
  blazeFaceTflitePath,
  parseTflite,
  readTfliteFile,
  TensorType,
  tensorFloats,
  tfliteToOnnx,
} from '../src/convert/index.js';
import { runTfliteWithTfjs } from './tflite-reference.js';

const TFLITE = blazeFaceTflitePath('short');

describe('TFLite reader', () => {
  it('reads the BlazeFace short-range graph: tensors, operators, float16 weights', async () => {
    const model = await readTfliteFile(TFLITE);
    expect(model.version).toBe(3);
    const io = [...model.inputs, ...model.outputs].map((i) => [
      model.tensors[i].name,
      model.tensors[i].shape,
    ]);
    expect(io).toEqual([
      ['input', [1, 128, 128, 3]],
      ['regressors', [1, 896, 16]],
      ['classificators', [1, 896, 1]],
    ]);
    const counts: Record<string, number> = {};
    for (const op of model.operators) counts[op.op] = (counts[op.op] ?? 0) + 1;
    expect(counts).toEqual({
      DEQUANTIZE: 74,
      CONV_2D: 21,
      RELU: 17,
      DEPTHWISE_CONV_2D: 16,
      ADD: 16,
      PAD: 11,
      MAX_POOL_2D: 3,
      RESHAPE: 4,
      CONCATENATION: 2,
    });
    const firstConv = model.operators.find((op) => op.op === 'CONV_2D');
    expect(firstConv?.options).toMatchObject({
      padding: 0,
      stride_w: 2,
      stride_h: 2,
      fused_activation_function: 0,
    });
    // The weights are float16 behind DEQUANTIZE ops; decoded they are finite and not all zero.
    const halves = model.tensors.filter((t) => t.type === TensorType.FLOAT16);
    expect(halves).toHaveLength(74);
    const kernel = tensorFloats(halves.find((t) => t.shape.join() === '24,5,5,3') ?? halves[0]);
    expect(kernel.every(Number.isFinite)).toBe(true);
    expect(Math.max(...kernel.map(Math.abs))).toBeGreaterThan(0.05);
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThan(10);
  });

  it('dequantises float16 and per-channel int8 constants', () => {
    const half = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001]).buffer);
    const halves = tensorFloats({ name: 'h', shape: [4], type: TensorType.FLOAT16, data: half });
    expect(Array.from(halves)).toEqual([1, -2, Math.fround(0.333251953125), Math.fround(2 ** -24)]);
    const int8 = new Uint8Array(new Int8Array([2, -2, 3, 1]).buffer);
    const quantization = { scale: [0.5, 2], zeroPoint: [0, 1], axis: 0 };
    const q = tensorFloats({ name: 'q', shape: [2, 2], type: TensorType.INT8, data: int8, quantization });
    expect(Array.from(q)).toEqual([1, -1, 4, 0]);
    expect(() => tensorFloats({ name: 'bad', shape: [3], type: TensorType.FLOAT32, data: half })).toThrow(
      /'bad' has 8 bytes for shape \[3\]/,
    );
  });

  it('rejects a truncated file and a foreign file with ModelFormatError naming them', async () => {
    const bytes = await readFile(TFLITE);
    expect(() => parseTflite(bytes.subarray(0, 5000), 'cut.tflite')).toThrow(ModelFormatError);
    expect(() => parseTflite(bytes.subarray(0, 5000), 'cut.tflite')).toThrow(
      /cut\.tflite is truncated or corrupt/,
    );
    const notTflite = await readFile(
      TFLITE.replace('face_detection_short_range.tflite', 'face_detection_short.binarypb'),
    );
    expect(() => parseTflite(notTflite, 'graph.binarypb')).toThrow(/graph\.binarypb is not a TFLite model/);
    expect(() => parseTflite(new Uint8Array(3), 'empty.tflite')).toThrow(ModelFormatError);
  });
});

describe('TFLite -> ONNX', () => {
  // Short range covers SAME convolutions, channel PADs and CONCATENATION; full range adds VALID
  // convolutions and RESIZE_BILINEAR with half-pixel centres.
  it.for([
    ['short', 128],
    ['full', 192],
  ] as const)(
    '%s range matches an independent TensorFlow.js run of the same graph on a real photo',
    async ([range, size], ctx) => {
      const image = sharedPath('data', 'faceapi-testdata', 'examples', 'images', 'bbt4.jpg');
      needFiles(ctx, image);
      const model = await readTfliteFile(blazeFaceTflitePath(range));
      const { tensor } = letterbox(await readImage(image), size);
      const [refRegressors, refScores] = await runTfliteWithTfjs(model, tensor);
      const session = await ort.InferenceSession.create(tfliteToOnnx(model));
      try {
        const out = await session.run({ input: new ort.Tensor('float32', tensor, [1, size, size, 3]) });
        const [a, b] = session.outputNames.map((name) => out[name].data as Float32Array);
        const [regressors, scores] = a.length > b.length ? [a, b] : [b, a];
        const maxDiff = (x: Float32Array, y: Float32Array) =>
          x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
        // Regressors are in input pixels (up to ~200), logits up to ~100: agree to float32 rounding.
        expect(maxDiff(regressors, refRegressors)).toBeLessThan(2e-3);
        expect(maxDiff(scores, refScores)).toBeLessThan(2e-3);
        // Sanity: the photo has faces, so some anchors are confident.
        expect(Math.max(...refScores)).toBeGreaterThan(2);
      } finally {
        await session.release();
      }
    },
  );
});
