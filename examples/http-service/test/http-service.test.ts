import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createFrame, encodeImage } from '@face-liveness/core';
import { missing, sharedPath } from '@face-liveness/core/testing';
import {
  cutVideo,
  exampleModelStore,
  REAL_VIDEO,
  SEED_KERAS_MODEL,
} from '@face-liveness/example-test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.js';

const REAL_PHOTO = sharedPath('data/msu-mfsd-train/real/real_client002_android_SD_scene01.jpg');
const PRINT_PHOTO = sharedPath(
  'data/msu-mfsd-train/fake/attack_client002_android_SD_printed_photo_scene01.jpg',
);
const absent = missing(SEED_KERAS_MODEL, REAL_PHOTO, REAL_VIDEO);

const REQUEST_TIMEOUT_MS = 3000;

/** Sends `head` then the body one byte every `everyMs`; resolves with what the server answered and when. */
function trickle(port: number, head: string, everyMs: number): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    const timer = setInterval(() => socket.writable && socket.write('x'), everyMs);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: performance.now() - started });
    });
  });
}

describe.skipIf(absent)(`examples/http-service ${absent ?? ''}`, () => {
  let app: FastifyInstance;
  let url: string;
  let work: string;
  let clip: string;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    process.env.FACE_LIVENESS_HOME = await exampleModelStore();
    work = await mkdtemp(join(tmpdir(), 'example-http-'));
    clip = await cutVideo(REAL_VIDEO, 1.5, join(work, 'real.mp4'));
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
        done();
      },
    });
    app = await buildServer({
      maxBytes: 2_000_000,
      concurrency: 1,
      maxQueue: 1,
      limits: { maxFrames: 60, maxDurationMs: 2500, maxPixels: 1_000_000 },
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      headersTimeoutMs: 2000,
      logger: { level: 'info', stream },
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const post = (body: BodyInit, type?: string) =>
    fetch(`${url}/v1/liveness`, { method: 'POST', body, headers: type ? { 'content-type': type } : {} });

  function multipart(bytes: Uint8Array, name: string, type: string): FormData {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    return form;
  }

  it('GET /healthz says alive, GET /readyz ready with the load', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      running: 0,
      waiting: 0,
      capacity: 1,
      admitted: 0,
      maxAdmitted: 2,
    });
  });

  it('POST a photo as multipart: the verdict of its face, and a structured log line', async () => {
    const res = await post(multipart(await readFile(REAL_PHOTO), 'me.jpg', 'image/jpeg'));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ kind: 'image', format: 'jpeg', frames: 1, width: 720, height: 480 });
    expect(body.faces).toHaveLength(1);
    expect(['live', 'spoof']).toContain(body.verdict);
    expect(body.faces[0].score).toBeGreaterThanOrEqual(0);
    expect(body.faces[0].box).toHaveLength(4);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'checked', kind: 'image', verdict: body.verdict }),
    );
  });

  it('POST a short video as the raw body: one verdict per tracked face', async (ctx) => {
    const res = await post(await readFile(clip), 'video/mp4');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ kind: 'video', format: 'mp4', width: 368, height: 656 });
    expect(body.frames).toBeGreaterThanOrEqual(40);
    expect(body.faces[0]).toMatchObject({ id: 1, blinks: expect.any(Number) });
    expect(body.faces[0].frames).toBeGreaterThan(30);
    expect(['live', 'spoof', 'undecided']).toContain(body.verdict);
    ctx.annotate?.(`video verdict ${body.verdict}: ${body.reason}`);
  });

  it('refuses what it cannot check with a 4xx and a reason, and keeps serving', async () => {
    const cases: [BodyInit, string | undefined, number, string][] = [
      ['hello', 'text/plain', 415, 'unsupported_type'],
      [
        new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
        'application/octet-stream',
        415,
        'unsupported_type',
      ],
      [
        new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(500).fill(7)]),
        'image/jpeg',
        422,
        'corrupt_file',
      ],
      [
        Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(900, 3)]),
        'video/mp4',
        422,
        'corrupt_file',
      ],
      [new Uint8Array(2_100_000), 'image/jpeg', 413, 'too_large'],
      [new FormData(), undefined, 400, 'no_file'],
      [new Uint8Array(0), 'image/png', 400, 'no_file'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await post(body, type);
      expect({ status: res.status, error: (await res.json()).error }).toEqual({ status, error: code });
    }
    const huge = await post(multipart(new Uint8Array(2_100_000), 'huge.jpg', 'image/jpeg'));
    expect({ status: huge.status, error: (await huge.json()).error }).toEqual({
      status: 413,
      error: 'too_large',
    });
    const blank = await encodeImage(createFrame(new Uint8Array(320 * 240 * 3).fill(128), 320, 240), 'png');
    const wide = await encodeImage(createFrame(new Uint8Array(1200 * 1000 * 3), 1200, 1000), 'png');
    const tooManyPixels = await post(wide, 'image/png');
    expect(await tooManyPixels.json()).toEqual({
      error: 'too_many_pixels',
      message: 'the image is 1200x1000, more than the 1000000 pixels accepted',
    });
    expect(tooManyPixels.status).toBe(413);
    const noFace = await post(multipart(blank, 'wall.png', 'image/png'));
    expect(noFace.status).toBe(422);
    expect(await noFace.json()).toMatchObject({
      error: 'no_face',
      message: expect.stringContaining('no face'),
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers 400 to malformed multipart bodies, with no error in the log', async () => {
    const boundary = 'XyZ';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`;
    const truncated = Buffer.concat([Buffer.from(head), await readFile(REAL_PHOTO)]);
    const cases: [BodyInit, string, string][] = [
      [truncated, `multipart/form-data; boundary=${boundary}`, 'bad_multipart'],
      [truncated, 'multipart/form-data', 'bad_multipart'],
    ];
    const photo = await readFile(REAL_PHOTO);
    const wrongField = new FormData();
    wrongField.append('photo', new Blob([photo], { type: 'image/jpeg' }), 'me.jpg');
    const twoFiles = multipart(photo, 'me.jpg', 'image/jpeg');
    twoFiles.append('file', new Blob([photo], { type: 'image/jpeg' }), 'other.jpg');
    const textField = multipart(photo, 'me.jpg', 'image/jpeg');
    textField.append('note', 'hello');
    for (const [body, type, code] of cases) {
      const res = await post(body, type);
      expect({ status: res.status, error: (await res.json()).error }).toEqual({ status: 400, error: code });
    }
    for (const [form, code] of [
      [wrongField, 'unexpected_field'],
      [twoFiles, 'too_many_files'],
      [textField, 'unexpected_field'],
    ] as const) {
      const res = await post(form);
      expect({ status: res.status, error: (await res.json()).error }).toEqual({ status: 400, error: code });
    }
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('times out a body sent one byte at a time at REQUEST_TIMEOUT_MS, with a 408 and a reason', async () => {
    const port = Number(new URL(url).port);
    const head = `POST /v1/liveness HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: image/jpeg\r\ncontent-length: 100000\r\n\r\n`;
    const { answer, ms } = await trickle(port, head, 200);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('"error":"timeout"');
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 1500);
    // Headers that never end are cut at the headers timeout (2 s here).
    const slowHead = await trickle(port, 'POST /v1/liveness HTTP/1.1\r\nx-slow: ', 200);
    expect(slowHead.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(slowHead.ms).toBeLessThan(2000 + 1500);
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('tells the client what failed in a sentence, never a path, an address or a stack', async () => {
    const corrupt = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypisom'),
      Buffer.alloc(900, 3),
    ]);
    const res = await post(corrupt, 'video/mp4');
    const text = await res.text();
    expect(res.status).toBe(422);
    expect(JSON.parse(text)).toEqual({ error: 'corrupt_file', message: 'the video cannot be decoded' });
    expect(text).not.toContain(tmpdir());
    // The log keeps ffmpeg's explanation for the operator.
    expect(logs).toContainEqual(expect.objectContaining({ code: 'corrupt_file', cause: expect.any(String) }));
    const missingRoute = await fetch(`${url}/v1/nothing`);
    expect(await missingRoute.json()).toMatchObject({ error: 'not_found' });
  });

  it('refuses videos over the frame and duration limits', async () => {
    const frames = await cutVideo(REAL_VIDEO, 2.2, join(work, 'frames.mp4'));
    const long = await cutVideo(REAL_VIDEO, 3, join(work, 'long.mp4'), ['-vf', 'fps=10']);
    const tooMany = await post(await readFile(frames), 'video/mp4');
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).error).toBe('too_many_frames');
    const tooLong = await post(await readFile(long), 'video/mp4');
    expect(tooLong.status).toBe(413);
    expect((await tooLong.json()).error).toBe('too_long');
  });

  it('bounds concurrency: with one check running and one waiting, the next is told to retry (503)', async () => {
    const load = async () =>
      (await (await fetch(`${url}/readyz`)).json()) as { running: number; waiting: number; status: string };
    const until = async (test: (l: { running: number; waiting: number }) => boolean) => {
      while (!test(await load())) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    // A video keeps the only pipeline busy for a while; the photo after it waits in the queue.
    const video = post(await readFile(clip), 'video/mp4');
    await until((l) => l.running === 1);
    const waiting = post(await readFile(REAL_PHOTO), 'image/jpeg');
    await until((l) => l.waiting === 1);
    const refused = await post(await readFile(REAL_PHOTO), 'image/jpeg');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await refused.json()).error).toBe('busy');
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await ready.json()).status).toBe('saturated');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await video).status).toBe(200);
    expect((await waiting).status).toBe(200);
    expect(await load()).toMatchObject({ status: 'ready', running: 0, waiting: 0, admitted: 0 });
  });

  it('closing lets the admitted checks finish before releasing the models', async () => {
    const video = post(await readFile(clip), 'video/mp4');
    while ((await (await fetch(`${url}/readyz`)).json()).running === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const waiting = post(await readFile(REAL_PHOTO), 'image/jpeg');
    while ((await (await fetch(`${url}/readyz`)).json()).waiting === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const started = performance.now();
    const closed = app.close();
    expect((await video).status).toBe(200);
    expect((await waiting).status).toBe(200);
    await closed;
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});
