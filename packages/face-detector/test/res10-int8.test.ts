import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Frame, iou, readImage } from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldAffine, quantizeSsd, tensorflowToSsd, toOnnx } from '../src/convert/index.js';
import { FaceDetector } from '../src/face-detector.js';
import { FIXTURES_FULL, readFixtures, TF_PB, TF_PBTXT } from './res10-files.js';

const NUAA = sharedPath('data', 'nuaa');
const absent = missing(TF_PB, TF_PBTXT, FIXTURES_FULL, NUAA);
/** Calibration frames: NUAA subjects 0001-0003 only; they are left out of the comparison. */
const isCalibration = (image: string) => /^data\/nuaa\/(real|fake)\/000[1-3]\//.test(image);

describe.skipIf(absent !== undefined)(`res10 int8 (QDQ) model ${absent ?? ''}`, () => {
  let int8: Uint8Array;
  let float: FaceDetector;
  let quantized: FaceDetector;

  beforeAll(async () => {
    const net = tensorflowToSsd({ pb: readFileSync(TF_PB), pbtxt: readFileSync(TF_PBTXT, 'utf8') });
    const calibration: Frame[] = [];
    for (const subject of ['0001', '0002', '0003']) {
      for (const kind of ['real', 'fake']) {
        const dir = join(NUAA, kind, subject);
        for (const file of readdirSync(dir).sort().slice(0, 2))
          calibration.push(await readImage(join(dir, file)));
      }
    }
    int8 = await quantizeSsd(net, calibration);
    float = await FaceDetector.create({ model: toOnnx(foldAffine(net)) });
    quantized = await FaceDetector.create({ model: int8 });
  });
  afterAll(async () => {
    await float?.close();
    await quantized?.close();
  });

  it('stores int8 convolution weights (a quarter of the float size)', () => {
    const model = onnxProto.onnx.ModelProto.decode(int8);
    const ops = new Set(model.graph?.node?.map((n) => n.opType));
    expect(ops.has('QuantizeLinear') && ops.has('DequantizeLinear')).toBe(true);
    const int8Weights = model.graph?.initializer?.filter(
      (t) => t.dataType === onnxProto.onnx.TensorProto.DataType.INT8,
    );
    expect(int8Weights?.length).toBeGreaterThanOrEqual(20);
    expect(int8.length).toBeLessThan(4_000_000);
  });

  it('finds the faces the float32 model finds, with IoU >= 0.9 (held-out images)', async () => {
    const rows = readFixtures(FIXTURES_FULL).filter((r) => !isCalibration(r.image));
    let compared = 0;
    // Faces near the 0.5 threshold may cross it either way; compare those clear of it.
    for (const row of rows.filter((_, i) => i % 3 === 0)) {
      const frame = await readImage(sharedPath(row.image));
      const [a, b] = [await float.detect(frame), await quantized.detect(frame)];
      for (const [from, to, what] of [
        [a, b, 'missed'],
        [b, a, 'extra'],
      ] as const) {
        for (const face of from.filter((f) => f.score >= 0.6)) {
          const best = Math.max(0, ...to.map((f) => iou(f.box, face.box)));
          expect(
            best,
            `${row.image}: ${what} face ${face.score.toFixed(3)} [${face.box.map(Math.round)}]`,
          ).toBeGreaterThanOrEqual(0.9);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
