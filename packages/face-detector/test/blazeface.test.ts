import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrame, InvalidInputError, ModelFormatError, ModelStore, readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssdAnchors } from '../src/blazeface/anchors.js';
import { type RawDetection, weightedNms } from '../src/blazeface/decode.js';
import { BlazeFaceDetector } from '../src/blazeface/detector.js';
import { BLAZEFACE_MODEL_NAME } from '../src/blazeface/model.js';

const images = (name: string) => sharedPath('data', 'faceapi-testdata', 'examples', 'images', name);

describe('BlazeFace anchors and NMS', () => {
  it('generates MediaPipe short-range anchors: 16x16x2 then 8x8x6, all 1x1', () => {
    const anchors = ssdAnchors();
    expect(anchors).toHaveLength(896);
    expect(anchors[0]).toEqual({ x: 0.5 / 16, y: 0.5 / 16, w: 1, h: 1 });
    expect(anchors[1]).toEqual(anchors[0]);
    expect(anchors[2].x).toBeCloseTo(1.5 / 16);
    expect(anchors[511]).toEqual({ x: 15.5 / 16, y: 15.5 / 16, w: 1, h: 1 });
    expect(anchors[512]).toEqual({ x: 0.5 / 8, y: 0.5 / 8, w: 1, h: 1 });
    expect(anchors.slice(512, 518).every((a) => a.x === anchors[512].x)).toBe(true);
    expect(anchors[518].x).toBeCloseTo(1.5 / 8);
  });

  it('weighted NMS averages overlapping boxes by score and keeps the best score', () => {
    const d = (box: RawDetection['box'], score: number): RawDetection => ({
      box,
      score,
      keypoints: [[box[0], box[1]]],
    });
    const out = weightedNms([d([0, 0, 1, 1], 0.6), d([0.1, 0.1, 1.1, 1.1], 0.9), d([5, 5, 6, 6], 0.7)], 0.3);
    expect(out).toHaveLength(2);
    expect(out[0].score).toBe(0.9);
    expect(out[0].box[0]).toBeCloseTo((0.1 * 0.9) / 1.5);
    expect(out[0].keypoints[0][1]).toBeCloseTo((0.1 * 0.9) / 1.5);
    out[1].box.forEach((v, i) => expect(v).toBeCloseTo([5, 5, 6, 6][i], 9));
  });
});

describe('BlazeFaceDetector', () => {
  let dir: string;
  let store: ModelStore;
  let detector: BlazeFaceDetector;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blazeface-test-'));
    store = new ModelStore(dir);
    detector = await BlazeFaceDetector.create({ store, boxes: 'blazeface' });
  });
  afterAll(async () => {
    await detector?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('converts the npm-bundled model into the store on first use', async () => {
    const entry = await store.get(BLAZEFACE_MODEL_NAME);
    expect(entry?.source).toBe('converted from @mediapipe/face_detection/face_detection_short_range.tflite');
    expect(entry?.file).toBe('blazeface-short-range.onnx');
  });

  it('finds every face of group photos, and keypoints inside their boxes', async (ctx) => {
    needFiles(ctx, images('bbt4.jpg'), images('bbt2.jpg'));
    const faces = await detector.detect(await readImage(images('bbt4.jpg')));
    expect(faces).toHaveLength(6);
    for (const f of faces) {
      expect(f.score).toBeGreaterThan(0.5);
      const [x1, y1, x2, y2] = f.box;
      expect(x2 - x1).toBeGreaterThan(60);
      expect((x2 - x1) / (y2 - y1)).toBeCloseTo(1, 1); // BlazeFace's own boxes are square
      const [eyeR, eyeL, nose] = f.keypoints ?? [];
      expect(eyeR[0]).toBeLessThan(eyeL[0]); // subject's right eye is on the image's left
      expect(nose[0]).toBeGreaterThan(x1);
      expect(nose[0]).toBeLessThan(x2);
      expect(nose[1]).toBeGreaterThan(y1);
      expect(nose[1]).toBeLessThan(y2);
    }
    expect((await detector.detect(await readImage(images('bbt2.jpg')))).length).toBeGreaterThanOrEqual(2);
  });

  it('finds no face in a photo of dogs or a blank image', async (ctx) => {
    const dogs = sharedPath('data', 'dlib-faces', 'dogs.jpg');
    needFiles(ctx, dogs);
    expect(await detector.detect(await readImage(dogs))).toEqual([]);
    expect(await detector.detect(createFrame(new Uint8Array(64 * 48 * 3).fill(255), 64, 48))).toEqual([]);
  });

  it('rejects bad options, frames and model files with the option or file named', async () => {
    await expect(BlazeFaceDetector.create({ store, confidence: 1.5 })).rejects.toThrow(
      /confidence must be in/,
    );
    await expect(BlazeFaceDetector.create({ store, boxes: 'x' as 'res10' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(BlazeFaceDetector.create({ model: join(dir, 'nope.onnx') })).rejects.toThrow(/nope\.onnx/);
    const bad = join(dir, 'bad.tflite');
    await writeFile(bad, Buffer.concat([Buffer.from([16, 0, 0, 0]), Buffer.from('TFL3'), Buffer.alloc(8)]));
    await expect(BlazeFaceDetector.create({ model: bad })).rejects.toThrow(ModelFormatError);
    await expect(detector.detect({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(
      InvalidInputError,
    );
  });
});
