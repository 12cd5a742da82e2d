import { readdirSync, readFileSync } from 'node:fs';
import { type Box, type Frame, readImage, readVideo } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { FaceDetector } from '@face-liveness/face-detector';
import { convertTensorflow } from '@face-liveness/face-detector/convert';
import { afterAll, describe, expect, it } from 'vitest';
import { BlinkDetector, originalBlinkCounter } from '../src/blink.js';
import { ShapePredictor } from '../src/shape-predictor.js';

// Blink counting on real sequences. Faces: OpenCV's res10 (converted here from the shared
// TensorFlow files) on every NUAA frame (they are 200-1500 ms apart: too far to track), and on
// every 10th frame of the 30 fps videos, where the face is tracked in between by re-boxing the
// last landmarks (ShapePredictor.boxFromShape), which keeps the test fast.
//
// NUAA: the file name's last number is the webcam frame index; NUAA was captured at 20 fps, so a
// frame's time is index x 50 ms (gaps of 4-5 frames = 200-250 ms in some sessions, ~15 frames =
// 750 ms in others: blinks are only seen when a frame falls inside one).

const NUAA = sharedPath('data/nuaa');
const VIDEOS = sharedPath('data/replay-one-subject/videos');
const TF = sharedPath('models/res10-tensorflow');
const NUAA_FRAME_MS = 50;
const VIDEO_DETECT_EVERY = 10;
// ~40 s per NUAA half on a quiet core (res10 on 1000-1250 frames); generous for shared machines.
const SLOW = 600_000;

let tools: Promise<{ sp: ShapePredictor; detector: FaceDetector }> | undefined;
const load = () => {
  tools ??= (async () => ({
    sp: await ShapePredictor.load(DLIB_68_PATH, { cache: false }),
    detector: await FaceDetector.create({
      model: convertTensorflow({
        pb: readFileSync(`${TF}/opencv_face_detector_uint8.pb`),
        pbtxt: readFileSync(`${TF}/opencv_face_detector.pbtxt`, 'utf8'),
      }),
    }),
  }))();
  return tools;
};
afterAll(async () => {
  if (tools) await (await tools).detector.close();
});

interface Counts {
  frames: number;
  blinks: number;
  original: number;
}

async function countBlinks(
  frames: AsyncIterable<{ frame: Frame; timestampMs: number }>,
  detectEvery = 1,
): Promise<Counts> {
  const { sp, detector } = await load();
  const ours = new BlinkDetector();
  const original = originalBlinkCounter();
  let box: Box | undefined;
  let n = 0;
  for await (const { frame, timestampMs } of frames) {
    let points: ReturnType<ShapePredictor['predict']> | undefined;
    if (box === undefined || n % detectEvery === 0) {
      const faces = await detector.detect(frame);
      const face = faces.sort((a, b) => b.box[2] - b.box[0] - (a.box[2] - a.box[0]))[0];
      if (face) points = sp.predictFromDetector(frame, face.box, 'res10');
    } else {
      points = sp.predictFromDetector(frame, box, 'dlib');
    }
    n++;
    if (!points) {
      box = undefined;
      continue;
    }
    box = sp.boxFromShape(points);
    ours.update(points, timestampMs);
    original.update(points, timestampMs);
  }
  return { frames: n, blinks: ours.blinks, original: original.blinks };
}

/** NUAA sequences of one kind: `<subject>/<ID_glasses_pos_session>` -> files in frame order. */
function nuaaSequences(kind: 'real' | 'fake'): Map<string, { file: string; index: number }[]> {
  const sequences = new Map<string, { file: string; index: number }[]>();
  for (const subject of readdirSync(`${NUAA}/${kind}`).sort()) {
    for (const name of readdirSync(`${NUAA}/${kind}/${subject}`)) {
      const m = /^(.*)_(\d+)\.jpg$/.exec(name);
      if (!m) continue;
      const list = sequences.get(m[1]) ?? [];
      list.push({ file: `${NUAA}/${kind}/${subject}/${name}`, index: Number(m[2]) });
      sequences.set(m[1], list);
    }
  }
  for (const list of sequences.values()) list.sort((a, b) => a.index - b.index);
  return sequences;
}

async function* nuaaFrames(list: { file: string; index: number }[]) {
  for (const { file, index } of list)
    yield { frame: await readImage(file), timestampMs: index * NUAA_FRAME_MS };
}

describe('blinks on real sequences', () => {
  it(
    'counts no blink on any NUAA printed-photo attack (the original counter does)',
    async (ctx) => {
      needFiles(ctx, DLIB_68_PATH, NUAA, TF);
      const results: Record<string, Counts> = {};
      for (const [name, list] of nuaaSequences('fake')) results[name] = await countBlinks(nuaaFrames(list));
      const withBlinks = Object.entries(results).filter(([, c]) => c.blinks > 0);
      expect(withBlinks).toEqual([]);
      const originalTotal = Object.values(results).reduce((a, c) => a + c.original, 0);
      console.log(
        `NUAA photo attacks: ${Object.keys(results).length} sequences, 0 blinks; original counter: ${originalTotal}`,
      );
      expect(Object.keys(results).length).toBeGreaterThan(60);
    },
    SLOW,
  );

  it(
    'counts blinks on live NUAA sequences where a frame catches closed eyes',
    async (ctx) => {
      needFiles(ctx, DLIB_68_PATH, NUAA, TF);
      const results: Record<string, Counts> = {};
      for (const [name, list] of nuaaSequences('real')) results[name] = await countBlinks(nuaaFrames(list));
      const total = Object.values(results).reduce((a, c) => a + c.blinks, 0);
      console.log(
        `NUAA live: ${total} blinks in ${Object.keys(results).length} sequences:`,
        Object.entries(results)
          .filter(([, c]) => c.blinks > 0)
          .map(([name, c]) => `${name}: ${c.blinks}`)
          .join(', '),
      );
      // Frames 4-15 webcam frames apart see only some blinks; the closed-eye frames behind the
      // counted ones were checked by eye (see the README).
      expect(total).toBeGreaterThanOrEqual(2);
      expect(Math.max(...Object.values(results).map((c) => c.blinks))).toBeLessThanOrEqual(3);
    },
    SLOW,
  );

  // real.mp4 has one visible blink (5.4 s, face turned ~45 degrees: its EAR drops only ~35%, so
  // it is missed); fake.mp4 replays a live video on a phone, whose head-down moments can pass for
  // a blink. Neither is a photo attack: the assertion is only that nothing runs away.
  it(
    'stays quiet on the live and replayed phone videos',
    async (ctx) => {
      needFiles(ctx, DLIB_68_PATH, VIDEOS, TF);
      for (const kind of ['real', 'fake']) {
        const counts = await countBlinks(await readVideo(`${VIDEOS}/${kind}.mp4`), VIDEO_DETECT_EVERY);
        console.log(
          `replay-one-subject ${kind}.mp4: ${counts.frames} frames, ${counts.blinks} blinks; original ${counts.original}`,
        );
        expect(counts.frames).toBeGreaterThan(500);
        expect(counts.blinks).toBeLessThanOrEqual(2);
      }
    },
    SLOW,
  );
});
