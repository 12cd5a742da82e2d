import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Box,
  createFrame,
  InvalidInputError,
  iou,
  ModelFormatError,
  readImage,
  resizeBilinear,
} from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssdAnchors } from '../src/blazeface/anchors.js';
import { type RawDetection, weightedNms } from '../src/blazeface/decode.js';
import { BlazeFaceDetector } from '../src/blazeface/detector.js';
import { blazeFaceTflitePath, GraphBuilder } from '../src/convert/index.js';
import { FIXTURES_FULL, readFixtures } from './res10-files.js';

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
  let detector: BlazeFaceDetector;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blazeface-test-'));
    detector = await BlazeFaceDetector.create({ boxes: 'blazeface' });
  });
  afterAll(async () => {
    await detector?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the shipped model by default, the same as the .tflite converted on load', async (ctx) => {
    needFiles(ctx, images('bbt4.jpg'));
    const frame = await readImage(images('bbt4.jpg'));
    const fromTflite = await BlazeFaceDetector.create({ model: blazeFaceTflitePath(), boxes: 'blazeface' });
    try {
      expect(await fromTflite.detect(frame)).toEqual(await detector.detect(frame));
    } finally {
      await fromTflite.close();
    }
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

  it('full range finds the small faces of a wide group photo that short range misses', async (ctx) => {
    needFiles(ctx, images('bbt1.jpg'), sharedPath('data', 'dlib-faces', 'dogs.jpg'));
    const frame = await readImage(images('bbt1.jpg'));
    expect(await detector.detect(frame)).toEqual([]);
    const full = await BlazeFaceDetector.create({ range: 'full' });
    try {
      const faces = await full.detect(frame);
      expect(faces).toHaveLength(4);
      for (const f of faces) expect(f.box[2] - f.box[0]).toBeGreaterThan(60);
      expect(await full.detect(await readImage(sharedPath('data', 'dlib-faces', 'dogs.jpg')))).toEqual([]);
    } finally {
      await full.close();
    }
  });

  it('finds no face in a photo of dogs or a blank image', async (ctx) => {
    const dogs = sharedPath('data', 'dlib-faces', 'dogs.jpg');
    needFiles(ctx, dogs);
    expect(await detector.detect(await readImage(dogs))).toEqual([]);
    expect(await detector.detect(createFrame(new Uint8Array(64 * 48 * 3).fill(255), 64, 48))).toEqual([]);
  });

  it('detects in frames wider than 2048 px on a downscaled copy, at bounded cost, boxes in the frame', async (ctx) => {
    needFiles(ctx, images('bbt4.jpg'));
    const photo = await readImage(images('bbt4.jpg'));
    // The photo twice as large: its longer side (1420) stays under 2048, so nothing is downscaled.
    const large = resizeBilinear(photo, photo.width * 2, photo.height * 2);
    // Four times as large (2840 px) is downscaled to 2048 first: the faces are found where they are.
    const huge = resizeBilinear(photo, photo.width * 4, photo.height * 4);
    const [inLarge, inHuge] = [await detector.detect(large), await detector.detect(huge)];
    expect(inHuge).toHaveLength(inLarge.length);
    for (const face of inHuge) {
      const half: Box = [face.box[0] / 2, face.box[1] / 2, face.box[2] / 2, face.box[3] / 2];
      expect(Math.max(...inLarge.map((f) => iou(f.box, half)))).toBeGreaterThan(0.8);
    }
    // A 20000x200 strip: at full size its square would be 1.2 GB.
    expect(await detector.detect(createFrame(new Uint8Array(20000 * 200 * 3).fill(128), 20000, 200))).toEqual(
      [],
    );
  });

  it('agrees with OpenCV res10 on NUAA and MSU-MFSD faces (IoU >= 0.7 with calibrated boxes)', async (ctx) => {
    needFiles(ctx, FIXTURES_FULL);
    const calibrated = await BlazeFaceDetector.create();
    try {
      // Only images outside the calibration split (NUAA 0001-0004, MSU clients 002-007).
      const rows = readFixtures(FIXTURES_FULL).filter(
        (r) => /nuaa\/\w+\/00(0[5-9]|1[0-2])\//.test(r.image) || /client(0[1-9][0-9]|00[89])_/.test(r.image),
      );
      expect(rows.length).toBeGreaterThan(80);
      const worst = { iou: 1, image: '' };
      for (const r of rows) {
        const [score, x1, y1, x2, y2] = r.detections[0]; // res10's best face
        expect(score).toBeGreaterThanOrEqual(0.5);
        const ref = [x1 * r.width, y1 * r.height, x2 * r.width, y2 * r.height];
        const faces = await calibrated.detect(await readImage(sharedPath(r.image)));
        const best = Math.max(0, ...faces.map((f) => iou(f.box, ref)));
        if (best < worst.iou) Object.assign(worst, { iou: best, image: r.image });
      }
      expect(worst.iou, worst.image).toBeGreaterThanOrEqual(0.7);
    } finally {
      await calibrated.close();
    }
  });

  it('rejects bad options, frames and model files with the option or file named', async () => {
    await expect(BlazeFaceDetector.create({ confidence: 1.5 })).rejects.toThrow(
      /confidence must be a number in \[0, 1\], got 1.5/,
    );
    await expect(BlazeFaceDetector.create({ boxes: 'x' as 'res10' })).rejects.toThrow(InvalidInputError);
    await expect(BlazeFaceDetector.create({ model: join(dir, 'nope.onnx') })).rejects.toThrow(/nope\.onnx/);
    const bad = join(dir, 'bad.tflite');
    await writeFile(bad, Buffer.concat([Buffer.from([16, 0, 0, 0]), Buffer.from('TFL3'), Buffer.alloc(8)]));
    await expect(BlazeFaceDetector.create({ model: bad })).rejects.toThrow(ModelFormatError);
    await expect(detector.detect({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(
      InvalidInputError,
    );
    const other = new GraphBuilder('other');
    other.addNode('Relu', [other.addInput('x', [1])], { outputs: ['y'] });
    other.addOutput('y', [1]);
    await expect(BlazeFaceDetector.create({ model: other.toBytes() })).rejects.toThrow(/not BlazeFace/);
    await expect(
      BlazeFaceDetector.create({ model: blazeFaceTflitePath('short'), range: 'full' }),
    ).rejects.toThrow(/does not fit range 'full' \(192x192 input, 2304 anchors\).*range: 'short'/);
    await expect(BlazeFaceDetector.create({ model: new Uint8Array([1, 2, 3]) })).rejects.toThrow(
      ModelFormatError,
    );
  });

  it('refuses to detect after close()', async () => {
    const closing = await BlazeFaceDetector.create();
    await closing.close();
    await closing.close();
    await expect(closing.detect(createFrame(new Uint8Array(12), 2, 2))).rejects.toThrow(/after close/);
  });
});
