import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Box, clipBox } from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { cli, RES10_PB, RES10_PBTXT, temporaryStore } from './in-process.js';

const FACEAPI = sharedPath('data', 'faceapi-testdata');
const IMAGES = [
  join(FACEAPI, 'test', 'images', 'faces.jpg'),
  ...[1, 2, 3, 4, 5].map((i) => join(FACEAPI, 'examples', 'images', `bbt${i}.jpg`)),
];
const absent = missing(RES10_PB, RES10_PBTXT, ...IMAGES);

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
  const store = temporaryStore({ res10: true });

  for (const detector of ['blazeface', 'res10']) {
    for (const confidence of ['0.2', '0.5', '0.9']) {
      it(`${detector}, -c ${confidence}: analyze judges exactly the faces detect finds`, async () => {
        const detected = await cli('detect', ...IMAGES, '--detector', detector, '-c', confidence, '--json');
        expect(detected.code, detected.err).toBe(0);
        const report = join(store.dir, `${detector}-${confidence}.json`);
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
          // detect does not turn images; analyze's default (auto) may, and then finds other faces.
          '--orientation',
          '0',
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
