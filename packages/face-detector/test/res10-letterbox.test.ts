import {
  type Box,
  clipBox,
  createFrame,
  type Frame,
  frameToBlob,
  InvalidInputError,
  iou,
  readImage,
  readVideo,
} from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector } from '../src/face-detector.js';
import { letterboxInput } from '../src/res10/letterbox.js';
import { res10Input } from '../src/res10/preprocess.js';
import { convertTfToTemp, TF_PB, TF_PBTXT } from './res10-files.js';

const PORTRAIT = sharedPath('data', 'replay-one-subject', 'videos', 'real.mp4');
const FACE = sharedPath('data', 'faceapi-testdata', 'examples', 'images', 'angry.jpg');
const absent = missing(TF_PB, TF_PBTXT, PORTRAIT);

/** A frame whose every pixel differs from its neighbours, so a misplaced copy shows. */
function pattern(width: number, height: number): Frame {
  return createFrame(
    Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7 + (i >> 5)) & 255),
    width,
    height,
  );
}

/** `frame` centred on a 4:3 canvas of res10's mean colour at full size: what letterboxing amounts to. */
function padTo4x3(frame: Frame): { frame: Frame; left: number; top: number } {
  const { width, height } = frame;
  const w = Math.max(width, Math.round((height * 4) / 3));
  const h = Math.max(height, Math.round((width * 3) / 4));
  const left = Math.floor((w - width) / 2);
  const top = Math.floor((h - height) / 2);
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i += 3) data.set([123, 177, 104], i);
  for (let y = 0; y < height; y++) {
    data.set(frame.data.subarray(y * width * 3, (y + 1) * width * 3), ((y + top) * w + left) * 3);
  }
  return { frame: createFrame(data, w, h), left, top };
}

const PLANE = 300 * 300;

describe('letterboxInput', () => {
  it('fills the input with a 4:3 frame, as the stretched input', () => {
    const frame = pattern(64, 48);
    const out = new Float32Array(3 * PLANE);
    expect(letterboxInput(frame, out)).toEqual({
      offsetX: 0,
      offsetY: 0,
      scaleX: 300 / 64,
      scaleY: 300 / 48,
    });
    expect(out).toEqual(res10Input(frame));
  });

  it('places other shapes resized in the middle, with a border that is zero in every plane', () => {
    for (const [width, height, w, h] of [
      [368, 656, 126, 300], // the portrait clip: side borders
      [720, 480, 300, 267], // 3:2: top and bottom borders
      [639, 480, 300, 300], // one pixel short of 4:3 (a row-stride slip once sheared this one)
      [20000, 200, 300, 4], // within a 4 MP limit, but padding it at full size would take 858 MiB
      [5, 40, 28, 300],
    ]) {
      const frame = pattern(width, height);
      const out = new Float32Array(3 * PLANE).fill(7);
      const place = letterboxInput(frame, out);
      const offsetX = Math.floor((300 - w) / 2);
      const offsetY = Math.floor((300 - h) / 2);
      expect(place, `${width}x${height}`).toEqual({
        offsetX,
        offsetY,
        scaleX: w / width,
        scaleY: h / height,
      });
      // The picture is the frame resized to w x h, row for row, in each plane.
      const resized = frameToBlob(frame, { width: w, height: h, channelOrder: 'bgr', mean: [104, 177, 123] });
      for (const c of [0, 2]) {
        for (const y of [0, h >> 1, h - 1]) {
          const row = out.subarray(
            c * PLANE + (y + offsetY) * 300 + offsetX,
            c * PLANE + (y + offsetY) * 300 + offsetX + w,
          );
          expect(row, `${width}x${height} plane ${c} row ${y}`).toEqual(
            resized.subarray(c * w * h + y * w, c * w * h + (y + 1) * w),
          );
        }
        if (offsetX > 0) expect(out[c * PLANE + 150 * 300]).toBe(0);
        if (offsetY > 0) expect(out[c * PLANE + 150]).toBe(0);
      }
    }
  });
});

describe('FaceDetector resize option', () => {
  it('names a bad value', async () => {
    await expect(FaceDetector.create({ model: 'x', resize: 'crop' as 'stretch' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(FaceDetector.create({ model: 'x', resize: 'crop' as 'stretch' })).rejects.toThrow(/resize/);
  });
});

describe.skipIf(absent !== undefined)(`res10 letterboxed on the portrait clip ${absent ?? ''}`, () => {
  let model: Awaited<ReturnType<typeof convertTfToTemp>>;
  let letterbox: FaceDetector;
  let stretch: FaceDetector;
  /** Every 15th frame of the 368x656 clip. */
  const frames: Frame[] = [];
  beforeAll(async () => {
    model = await convertTfToTemp();
    [letterbox, stretch] = await Promise.all([
      FaceDetector.create({ model: model.path }),
      FaceDetector.create({ model: model.path, resize: 'stretch' }),
    ]);
    for await (const { frame, index } of await readVideo(PORTRAIT)) if (index % 15 === 0) frames.push(frame);
  });
  afterAll(async () => {
    await letterbox?.close();
    await stretch?.close();
    await model?.cleanup();
  });

  it('finds the one face in every sampled frame, where the stretched input also has one on the neck', async () => {
    expect(frames.length).toBeGreaterThanOrEqual(40);
    const counts = { letterbox: [] as number[], stretch: [] as number[] };
    for (const frame of frames) {
      counts.letterbox.push((await letterbox.detect(frame)).length);
      counts.stretch.push((await stretch.detect(frame)).length);
    }
    expect(
      counts.letterbox.every((n) => n === 1),
      `faces per frame ${counts.letterbox}`,
    ).toBe(true);
    // The old behaviour this replaces (measured: 2 boxes in 300 of 311 frames).
    expect(counts.stretch.filter((n) => n === 2).length).toBeGreaterThan(0.9 * frames.length);
  });

  it('maps boxes back: letterboxed = the frame padded at full size and stretched, shifted by the border', async () => {
    for (const frame of frames.slice(0, 5)) {
      const { frame: padded, left, top } = padTo4x3(frame);
      const expected = (await stretch.detect(padded)).map((f) =>
        clipBox(
          [f.box[0] - left, f.box[1] - top, f.box[2] - left, f.box[3] - top] as Box,
          frame.width,
          frame.height,
        ),
      );
      const faces = await letterbox.detect(frame);
      expect(faces).toHaveLength(expected.length);
      // The two resample the frame once and twice: the same faces, boxes within resampling noise.
      faces.forEach((face, i) => expect(iou(face.box, expected[i])).toBeGreaterThan(0.95));
    }
  });

  it('finds a face pasted into a tall canvas where it lies, as in the face alone', async (ctx) => {
    const why = missing(FACE);
    ctx.skip(why !== undefined, why);
    const image = await readImage(FACE);
    const [alone] = await letterbox.detect(image);
    const { width: w, height: h } = image;
    // Pasted at the bottom of a canvas three times as tall, filled with noise.
    const offset = 2 * h;
    const tall = new Uint8Array(w * 3 * h * 3);
    let seed = 3;
    for (let i = 0; i < tall.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      tall[i] = 96 + (seed >> 26);
    }
    tall.set(image.data, offset * w * 3);
    const found = await letterbox.detect(createFrame(tall, w, 3 * h));
    expect(found).toHaveLength(1);
    // The face is smaller in the model's input, so its box moves by a few pixels, not more.
    const shifted = [alone.box[0], alone.box[1] + offset, alone.box[2], alone.box[3] + offset];
    expect(iou(found[0].box, shifted), `${found[0].box} vs ${shifted}`).toBeGreaterThan(0.85);
  });
});
