import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrame, type Frame, InvalidInputError, ModelFormatError } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { DlibReader, DlibWriter } from '../src/dlib-serialize.js';
import { parseShapePredictor, serializeShapePredictor } from '../src/model.js';
import { ShapePredictor } from '../src/shape-predictor.js';
import { tinyModel } from './tiny-model.js';

function paint(
  width: number,
  height: number,
  rgb: (x: number, y: number) => [number, number, number],
): Frame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(rgb(x, y), (y * width + x) * 3);
  }
  return createFrame(data, width, height);
}

const near = (points: number[][], expected: number[][]) =>
  points.forEach(([x, y], i) => {
    expect(x).toBeCloseTo(expected[i][0], 4);
    expect(y).toBeCloseTo(expected[i][1], 4);
  });

describe('dlib serialisation', () => {
  it('encodes floats as dlib float_details (mantissa, exponent) with zero low bytes dropped', () => {
    const w = new DlibWriter();
    w.float(1);
    w.float(0);
    w.float(-0.75);
    w.int(-7);
    // 1 = 128 * 2^-7; 0 = 0 * 2^40 (dlib shifts zero bytes off eight times); -0.75 = -192 * 2^-8
    // (only whole zero bytes are dropped)
    expect([...w.bytes()]).toEqual([1, 128, 0x81, 7, 1, 0, 1, 40, 0x81, 192, 0x81, 8, 0x81, 7]);
    const r = new DlibReader(w.bytes());
    expect([r.float('a'), r.float('b'), r.float('c'), r.int('d')]).toEqual([1, 0, -0.75, -7]);
  });

  it('round-trips a model byte for byte', () => {
    const bytes = serializeShapePredictor(tinyModel());
    const model = parseShapePredictor(bytes);
    expect(model.numParts).toBe(3);
    expect([...model.cascades[1].deltas]).toEqual([...Float32Array.from([0.1, 0, 0, 0])]);
    expect(serializeShapePredictor(model)).toEqual(bytes);
  });
});

describe('ShapePredictor on a hand-made model', () => {
  const box: [number, number, number, number] = [0, 0, 11, 11]; // dlib rect [0,0,10,10]: 10 px across

  it('walks both cascades as worked out on paper', async () => {
    const sp = await ShapePredictor.load(serializeShapePredictor(tinyModel()));
    const whiteLeft = paint(11, 11, (x) => (x < 5 ? [255, 255, 255] : [0, 0, 0]));
    near(sp.predict(whiteLeft, box), [
      [3, 6],
      [9, 6],
      [6, 3],
    ]);
    const whiteRight = paint(11, 11, (x) => (x < 5 ? [0, 0, 0] : [255, 255, 255]));
    near(sp.predict(whiteRight, box), [
      [1, 4],
      [7, 4],
      [4, 1],
    ]);
  });

  it('gives the same answer on the WebAssembly SIMD path (2 points: 4 floats, one float32x4)', () => {
    const base = tinyModel().cascades[0];
    const sp = new ShapePredictor({
      numParts: 2,
      initialShape: Float32Array.from([0.2, 0.5, 0.8, 0.5]),
      cascades: [{ ...base, leafValues: Float32Array.from([0.1, 0, 0.1, 0, -0.1, 0, -0.1, 0]) }],
    });
    // the leaves moved into WebAssembly memory (whole 64 KiB pages)
    expect(sp.model.cascades[0].leafValues.buffer.byteLength).toBeGreaterThanOrEqual(65536);
    const whiteLeft = paint(11, 11, (x) => (x < 5 ? [255, 255, 255] : [0, 0, 0]));
    near(sp.predict(whiteLeft, box), [
      [3, 5],
      [9, 5],
    ]);
  });

  it("uses dlib's RGB intensity (R + G + B) / 3 truncated", async () => {
    const sp = new ShapePredictor(tinyModel(10));
    // (10 + 10 + 12) / 3 = 10.67: truncated to 10, which is not > 10, so cascade 0 goes right.
    const frame = paint(11, 11, (x, y) => (x === 2 && y === 5 ? [10, 10, 12] : [0, 0, 0]));
    expect(sp.predict(frame, box)[0][0]).toBeCloseTo(1, 4);
  });

  it('reads pixels outside the image as 0', async () => {
    const sp = new ShapePredictor(tinyModel());
    const white = paint(11, 11, () => [255, 255, 255]);
    // point 1 lands at x = 11, just outside: 255 - 0 > 10 sends cascade 0 left (+1 px).
    expect(sp.predict(white, [3, 0, 14, 11])[0][0]).toBeCloseTo(6, 4);
  });

  it('rejects bad boxes and frames with InvalidInputError', () => {
    const sp = new ShapePredictor(tinyModel());
    const frame = paint(4, 4, () => [0, 0, 0]);
    expect(() => sp.predict(frame, [5, 5, 1, 1])).toThrow(InvalidInputError);
    expect(() => sp.predict(frame, [0, 0, Number.NaN, 1])).toThrow(InvalidInputError);
    expect(() => sp.predict({ data: new Uint8Array(10), width: 4, height: 4 }, [0, 0, 2, 2])).toThrow(
      InvalidInputError,
    );
  });
});

describe('ShapePredictor.load errors', () => {
  it('names a truncated file', async () => {
    const bytes = serializeShapePredictor(tinyModel());
    const path = join(tmpdir(), `truncated-${process.pid}.dat`);
    await writeFile(path, bytes.subarray(0, bytes.length - 5));
    await expect(ShapePredictor.load(path)).rejects.toThrow(ModelFormatError);
    await expect(ShapePredictor.load(path)).rejects.toThrow(/truncated-\d+\.dat is truncated/);
  });

  it('names a foreign file', async () => {
    const path = join(tmpdir(), `foreign-${process.pid}.dat`);
    await writeFile(path, '{"not": "a dlib model"}');
    await expect(ShapePredictor.load(path)).rejects.toThrow(/foreign-\d+\.dat is not a dlib shape_predictor/);
    // a valid dlib stream of another object: an integer 2 where the version 1 belongs
    await expect(ShapePredictor.load(Uint8Array.from([1, 2, 1, 0]))).rejects.toThrow(ModelFormatError);
  });

  it('says when the file is missing', async () => {
    await expect(ShapePredictor.load('/nonexistent/sp.dat')).rejects.toThrow(/cannot read shape predictor/);
  });
});
