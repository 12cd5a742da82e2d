import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Box, clipBox } from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../src/program.js';

const PB = sharedPath('models', 'res10-tensorflow', 'opencv_face_detector_uint8.pb');
const PBTXT = sharedPath('models', 'res10-tensorflow', 'opencv_face_detector.pbtxt');
const FACEAPI = sharedPath('data', 'faceapi-testdata');
const IMAGES = [
  join(FACEAPI, 'test', 'images', 'faces.jpg'),
  ...[1, 2, 3, 4, 5].map((i) => join(FACEAPI, 'examples', 'images', `bbt${i}.jpg`)),
];
const absent = missing(PB, PBTXT, ...IMAGES);

/** Runs the CLI in-process and captures what it prints. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  try {
    const code = await run(['node', 'face-liveness', ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

interface Face {
  box: Box;
  score: number;
}

const byScore = (faces: Face[]) => [...faces].sort((a, b) => b.score - a.score);

// -c is the detector's own minimum confidence in every command, so the faces analyze judges
// (-t 0: none too small to classify) are the faces detect prints.
describe.skipIf(absent !== undefined)(`-c in detect and analyze ${absent ?? ''}`, () => {
  let dir: string;
  const previousHome = process.env.FACE_LIVENESS_HOME;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-confidence-'));
    process.env.FACE_LIVENESS_HOME = join(dir, 'store');
    const install = await cli('models', 'install', 'res10', '--pb', PB, '--pbtxt', PBTXT);
    expect(install.code, install.err).toBe(0);
  });
  afterAll(async () => {
    if (previousHome === undefined) delete process.env.FACE_LIVENESS_HOME;
    else process.env.FACE_LIVENESS_HOME = previousHome;
    await rm(dir, { recursive: true, force: true });
  });

  for (const detector of ['blazeface', 'res10']) {
    for (const confidence of ['0.2', '0.5', '0.9']) {
      it(`${detector}, -c ${confidence}: analyze judges exactly the faces detect finds`, async () => {
        const detected = await cli('detect', ...IMAGES, '--detector', detector, '-c', confidence, '--json');
        expect(detected.code, detected.err).toBe(0);
        const report = join(dir, `${detector}-${confidence}.json`);
        const analyzed = await cli(
          'analyze',
          ...IMAGES,
          '--detector',
          detector,
          '-c',
          confidence,
          '-t',
          '0',
          '--no-landmarks',
          '--json',
          '--report',
          report,
        );
        expect(analyzed.code, analyzed.err).toBe(0);
        const found = jsonLines(detected.out);
        const judged = jsonLines(analyzed.out);
        const frames = JSON.parse(readFileSync(report, 'utf8')).inputs;
        IMAGES.forEach((image, i) => {
          const { width, height, faces } = found[i];
          expect(judged[i].input).toBe(image);
          expect(judged[i].tracks, image).toHaveLength(faces.length);
          const inAnalyze = byScore(
            frames[i].frames[0].faces.map((f: { box: Box; detectionScore: number }) => ({
              box: f.box,
              score: f.detectionScore,
            })),
          );
          byScore(faces).forEach((face, j) => {
            expect(inAnalyze[j].score).toBeCloseTo(face.score, 3);
            clipBox(face.box, width, height).forEach((v, k) => {
              expect(inAnalyze[j].box[k]).toBeCloseTo(v, 1);
            });
          });
        });
      });
    }
  }
});
