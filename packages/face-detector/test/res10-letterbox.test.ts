import {
  type Box,
  clipBox,
  createFrame,
  type Frame,
  InvalidInputError,
  iou,
  readImage,
  readVideo,
} from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector } from '../src/face-detector.js';
import { padTo4x3 } from '../src/res10/letterbox.js';
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

describe('padTo4x3', () => {
  it('leaves a 4:3 frame alone', () => {
    const frame = pattern(64, 48);
    expect(padTo4x3(frame)).toEqual({ frame, left: 0, top: 0 });
    expect(padTo4x3(frame).frame).toBe(frame);
  });

  it('centres a portrait frame between side borders and a wide one between top and bottom borders', () => {
    for (const [width, height, paddedWidth, paddedHeight, left, top] of [
      [368, 656, 875, 656, 253, 0],
      [720, 480, 720, 540, 0, 30],
      [5, 40, 53, 40, 24, 0],
    ]) {
      const frame = pattern(width, height);
      const padded = padTo4x3(frame);
      expect([padded.frame.width, padded.frame.height, padded.left, padded.top]).toEqual([
        paddedWidth,
        paddedHeight,
        left,
        top,
      ]);
      const at = (f: Frame, x: number, y: number) => [
        ...f.data.subarray((y * f.width + x) * 3, (y * f.width + x) * 3 + 3),
      ];
      for (const [x, y] of [
        [0, 0],
        [width - 1, height - 1],
        [width >> 1, height >> 1],
      ]) {
        expect(at(padded.frame, x + left, y + top)).toEqual(at(frame, x, y));
      }
      // The border is res10's mean colour (R 123, G 177, B 104)...
      expect(at(padded.frame, 0, 0)).toEqual(left || top ? [123, 177, 104] : at(frame, 0, 0));
      // ...so it is exactly zero in the model's input.
      const blob = res10Input(padded.frame);
      expect([blob[0], blob[300 * 300], blob[2 * 300 * 300]]).toEqual([0, 0, 0]);
    }
  });

  it('does not keep pixels of an earlier frame whose padded size was the same', () => {
    padTo4x3(pattern(370, 656));
    const dark = createFrame(new Uint8Array(368 * 656 * 3), 368, 656);
    const { frame, left } = padTo4x3(dark);
    const row = frame.data.subarray((100 * frame.width + left) * 3, (100 * frame.width + left + 368) * 3);
    expect(row.every((v) => v === 0)).toBe(true);
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

  it('maps boxes back exactly: letterboxed = the explicitly padded frame stretched, shifted by the border', async () => {
    for (const frame of frames.slice(0, 5)) {
      const { frame: padded, left, top } = padTo4x3(frame);
      const copy = createFrame(padded.data.slice(), padded.width, padded.height);
      const expected = (await stretch.detect(copy))
        .map((f) => ({
          score: f.score,
          box: clipBox(
            [f.box[0] - left, f.box[1] - top, f.box[2] - left, f.box[3] - top] as Box,
            frame.width,
            frame.height,
          ),
        }))
        .filter((f) => f.box[2] > f.box[0] && f.box[3] > f.box[1]);
      const faces = await letterbox.detect(frame);
      expect(faces).toHaveLength(expected.length);
      faces.forEach((face, i) => {
        expect(face.score).toBe(expected[i].score);
        face.box.forEach((v, j) => expect(v).toBeCloseTo(expected[i].box[j], 9));
      });
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
