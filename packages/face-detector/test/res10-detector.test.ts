import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFrame,
  type Frame,
  InvalidInputError,
  iou,
  ModelFormatError,
  ModelNotFoundError,
  ModelStore,
  readImage,
} from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../src/convert/index.js';
import { FaceDetector } from '../src/face-detector.js';
import { convertTfToTemp, FACEAPI_IMAGES, TF_PB, TF_PBTXT } from './res10-files.js';

const FACEAPI_TEST = sharedPath('data', 'faceapi-testdata', 'test');
const SEED_REAL = sharedPath('data', 'seed-sample', 'real');
const absent = missing(TF_PB, TF_PBTXT, FACEAPI_IMAGES, FACEAPI_TEST, SEED_REAL);

describe('FaceDetector.create on bad models and options', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'res10-bad-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names a missing model file', async () => {
    const path = join(dir, 'absent.onnx');
    await expect(FaceDetector.create({ model: path })).rejects.toThrow(InvalidInputError);
    await expect(FaceDetector.create({ model: path })).rejects.toThrow(path);
  });

  it('says how to install the model when the store has none', async () => {
    const store = new ModelStore(join(dir, 'empty-store'));
    const attempt = FaceDetector.create({ store });
    await expect(attempt).rejects.toThrow(ModelNotFoundError);
    await expect(FaceDetector.create({ store })).rejects.toThrow(/face-liveness models install res10 --pb/);
  });

  it('rejects a corrupt file and an ONNX model that is not the detector', async () => {
    const corrupt = join(dir, 'corrupt.onnx');
    await writeFile(corrupt, 'this is not a protobuf at all \u0000\u0001');
    await expect(FaceDetector.create({ model: corrupt })).rejects.toThrow(ModelFormatError);
    await expect(FaceDetector.create({ model: corrupt })).rejects.toThrow(corrupt);

    const g = new GraphBuilder('other');
    g.addInput('x', [1, 3]);
    g.addNode('Relu', ['x'], { outputs: ['y'] });
    g.addOutput('y', [1, 3]);
    await expect(FaceDetector.create({ model: g.toBytes() })).rejects.toThrow(/not the res10 detector/);
  });

  it('validates options', async () => {
    await expect(FaceDetector.create({ model: 'x', confidence: 1.5 })).rejects.toThrow(/confidence/);
    await expect(FaceDetector.create({ model: 'x', nmsThreshold: Number.NaN })).rejects.toThrow(
      /nmsThreshold/,
    );
    await expect(FaceDetector.create({ model: 'x', threads: 0 })).rejects.toThrow(/threads/);
    await expect(FaceDetector.create({ model: 'x', minFaceSize: -1 })).rejects.toThrow(/minFaceSize/);
    await expect(FaceDetector.create({ model: 'x', minVisible: 2 })).rejects.toThrow(/minVisible/);
  });
});

describe.skipIf(absent !== undefined)(`FaceDetector on real images ${absent ?? ''}`, () => {
  let model: Awaited<ReturnType<typeof convertTfToTemp>>;
  let detector: FaceDetector;
  beforeAll(async () => {
    model = await convertTfToTemp();
    detector = await FaceDetector.create({ model: model.path });
  });
  afterAll(async () => {
    await detector?.close();
    await model?.cleanup();
  });

  const expectWellFormed = (faces: Awaited<ReturnType<FaceDetector['detect']>>, frame: Frame) => {
    for (const [i, f] of faces.entries()) {
      expect(f.box[0]).toBeGreaterThanOrEqual(0);
      expect(f.box[1]).toBeGreaterThanOrEqual(0);
      expect(f.box[2]).toBeLessThanOrEqual(frame.width);
      expect(f.box[3]).toBeLessThanOrEqual(frame.height);
      expect(f.box[2]).toBeGreaterThan(f.box[0]);
      expect(f.box[3]).toBeGreaterThan(f.box[1]);
      expect(f.score).toBeGreaterThanOrEqual(0.5);
      if (i > 0) expect(f.score).toBeLessThanOrEqual(faces[i - 1].score);
    }
  };

  it('rejects frames of the wrong size, 0x0 and 4 bytes per pixel', async () => {
    await expect(detector.detect({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(detector.detect({ data: new Uint8Array(0), width: 0, height: 0 })).rejects.toThrow(/0x0/);
    await expect(detector.detect({ data: new Uint8Array(64), width: 4, height: 4 })).rejects.toThrow(
      /4 bytes per pixel/,
    );
    await expect(detector.detect(null as unknown as Frame)).rejects.toThrow(InvalidInputError);
  });

  it('finds no face in a blank image or in noise', async () => {
    expect(await detector.detect(await readImage(join(FACEAPI_TEST, 'images', 'white.png')))).toEqual([]);
    let seed = 7;
    const noise = Uint8Array.from({ length: 320 * 240 * 3 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed >> 23;
    });
    expect(await detector.detect(createFrame(noise, 320, 240))).toEqual([]);
  });

  it('finds the six faces of a group photo, where face-api.js found them', async () => {
    const frame = await readImage(join(FACEAPI_TEST, 'images', 'faces.jpg'));
    const faces = await detector.detect(frame);
    expectWellFormed(faces, frame);
    const landmarks = JSON.parse(
      readFileSync(join(FACEAPI_TEST, 'data', 'facesFaceLandmarkPositions.json'), 'utf8'),
    ) as {
      x: number;
      y: number;
    }[][];
    expect(faces).toHaveLength(landmarks.length);
    for (const points of landmarks) {
      const cx = points.reduce((s, p) => s + p.x, 0) / points.length;
      const cy = points.reduce((s, p) => s + p.y, 0) / points.length;
      const holders = faces.filter(
        (f) => f.box[0] <= cx && cx <= f.box[2] && f.box[1] <= cy && cy <= f.box[3],
      );
      expect(holders, `face-api.js face at ${cx.toFixed(0)},${cy.toFixed(0)}`).toHaveLength(1);
    }
  });

  it('finds several faces in each Big Bang Theory still', async () => {
    for (const file of ['bbt1.jpg', 'bbt2.jpg', 'bbt4.jpg']) {
      const frame = await readImage(join(FACEAPI_IMAGES, file));
      const faces = await detector.detect(frame);
      expectWellFormed(faces, frame);
      expect(faces.length, file).toBeGreaterThanOrEqual(3);
    }
  });

  it('sees the same face in grayscale, RGBA and RGB encodings of one image', async () => {
    const source = join(FACEAPI_IMAGES, 'happy.jpg');
    const rgb = await detector.detect(await readImage(source));
    expect(rgb.length).toBeGreaterThanOrEqual(1);
    const gray = await sharp(source).grayscale().toColourspace('b-w').png().toBuffer();
    const rgba = await sharp(source).ensureAlpha(1).png().toBuffer();
    expect((await sharp(gray).metadata()).channels).toBe(1);
    expect((await sharp(rgba).metadata()).channels).toBe(4);
    for (const [name, bytes] of [
      ['gray', gray],
      ['rgba', rgba],
    ] as const) {
      const faces = await detector.detect(await readImage(bytes));
      expect(faces.length, name).toBeGreaterThanOrEqual(1);
      expect(iou(faces[0].box, rgb[0].box), name).toBeGreaterThan(0.85);
    }
  });

  it('reads the CMYK JPEGs of the seed sample and finds their face', async () => {
    for (const file of ['2.jpg', '3.jpg']) {
      const path = join(SEED_REAL, file);
      expect((await sharp(path).metadata()).space).toBe('cmyk');
      const frame = await readImage(path);
      const faces = await detector.detect(frame);
      expectWellFormed(faces, frame);
      expect(faces.length, file).toBe(1);
      // Letterboxed, the face (filling the crop) scores 0.76-0.98; stretched, res10's one box at
      // >= 0.5 in 2.jpg was a ghost at the lower right, now dropped as mostly outside the frame.
      expect(faces[0].score).toBeGreaterThan(0.7);
      const [x1, y1, x2, y2] = faces[0].box;
      expect((x2 - x1) * (y2 - y1)).toBeGreaterThan(0.6 * frame.width * frame.height);
    }
  });

  it('drops faces below minFaceSize and boxes are clipped to the frame', async () => {
    const frame = await readImage(join(FACEAPI_IMAGES, 'bbt1.jpg'));
    const all = await detector.detect(frame);
    const smallest = Math.min(...all.map((f) => Math.min(f.box[2] - f.box[0], f.box[3] - f.box[1])));
    const strict = await FaceDetector.create({ model: model.bytes, minFaceSize: smallest + 1 });
    try {
      const big = await strict.detect(frame);
      expect(big.length).toBeLessThan(all.length);
      expect(big.every((f) => f.box[2] - f.box[0] > smallest && f.box[3] - f.box[1] > smallest)).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('gives overlapping detect() calls each their own frame (the input buffer is reused)', async () => {
    const frames = await Promise.all(
      ['bbt1.jpg', 'happy.jpg', 'bbt2.jpg'].map((f) => readImage(join(FACEAPI_IMAGES, f))),
    );
    const sequential = [];
    for (const frame of frames) sequential.push(await detector.detect(frame));
    expect(await Promise.all(frames.map((frame) => detector.detect(frame)))).toEqual(sequential);
  });

  it('refuses detect() after close()', async () => {
    const d = await FaceDetector.create({ model: model.bytes });
    await d.close();
    await d.close();
    await expect(d.detect(createFrame(new Uint8Array(300 * 300 * 3), 300, 300))).rejects.toThrow(
      /after close/,
    );
  });
});
