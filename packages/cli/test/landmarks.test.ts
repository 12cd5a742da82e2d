import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const FIXTURE = sharedPath('fixtures/dlib68/dlib-hog-shape68.jsonl');
const tmp = mkdtempSync(join(tmpdir(), 'fl-cli-landmarks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (args: string[]) => runCli(args);

describe('face-liveness landmarks', () => {
  it("prints dlib's points for --boxes lines", async (ctx) => {
    needFiles(ctx, DLIB_68_PATH, FIXTURE);
    const record = JSON.parse(readFileSync(FIXTURE, 'utf8').split('\n')[0]);
    const [l, t, r, b] = record.faces[0].rect;
    const boxes = join(tmp, 'boxes.jsonl');
    writeFileSync(
      boxes,
      `${JSON.stringify({ image: sharedPath(record.image), box: [l, t, r + 1, b + 1] })}\n`,
    );
    const { code, out } = await cli([
      'landmarks',
      '--boxes',
      boxes,
      '--shape-predictor',
      DLIB_68_PATH,
      '--json',
    ]);
    expect(code).toBe(0);
    const line = JSON.parse(out.trim());
    expect(line.points).toHaveLength(68);
    line.points.forEach(([x, y]: number[], i: number) => {
      expect(Math.floor(x + 0.5)).toBe(record.faces[0].points[i][0]);
      expect(Math.floor(y + 0.5)).toBe(record.faces[0].points[i][1]);
    });
  });

  it('says what is wrong with a bad predictor or boxes file', async (ctx) => {
    needFiles(ctx, DLIB_68_PATH);
    const notDat = join(tmp, 'x.dat');
    writeFileSync(notDat, 'hello');
    const bad = await cli(['landmarks', '--shape-predictor', notDat, '--boxes', notDat]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/x\.dat is not a dlib shape_predictor file/);
    const lines = join(tmp, 'bad.jsonl');
    writeFileSync(lines, '{"image": "a.jpg"}\n');
    const noBox = await cli(['landmarks', '--boxes', lines]);
    expect(noBox.err).toMatch(/bad\.jsonl line 1 needs \{"image"/);
  });
});
