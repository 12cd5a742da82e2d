import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrame, encodeImage } from '@face-liveness/core';
import { missing } from '@face-liveness/core/testing';
import {
  CHROMIUM,
  cutVideo,
  exampleModelStore,
  launchWithFakeCamera,
  REAL_VIDEO,
  SEED_KERAS_MODEL,
} from '@face-liveness/example-test-support';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildServer } from '../src/server.js';

const absent = missing(SEED_KERAS_MODEL, REAL_VIDEO, CHROMIUM);
/** Where the test leaves its screenshot, to look at. */
const SCREENSHOT_DIR = join(tmpdir(), 'face-liveness-example-screenshots');

describe.skipIf(absent)(`examples/web-webcam in Chromium with a fake camera ${absent ?? ''}`, () => {
  let app: FastifyInstance;
  let url: string;
  let work: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    process.env.FACE_LIVENESS_HOME = await exampleModelStore();
    work = await mkdtemp(join(tmpdir(), 'example-webcam-'));
    // Chromium's fake camera plays a .y4m file in a loop.
    const camera = await cutVideo(REAL_VIDEO, 4, join(work, 'camera.y4m'), ['-vf', 'fps=15']);
    app = await buildServer({ logger: false, maxSessions: 2 });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchWithFakeCamera(camera, join(work, 'profile'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('answers frames over the WebSocket, refuses bad ones without closing, and bounds the sessions', async () => {
    const wsUrl = `${url.replace('http', 'ws')}/ws`;
    const open = () => {
      const socket = new WebSocket(wsUrl);
      const messages: Record<string, unknown>[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data))));
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      const next = async (count: number) => {
        while (messages.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
        return messages[count - 1];
      };
      return { socket, next, closed };
    };
    const first = open();
    const second = open();
    expect(await first.next(1)).toMatchObject({ type: 'ready', policy: 'fused' });
    expect(await second.next(1)).toMatchObject({ type: 'ready' });
    expect(await open().closed).toBe(1013);

    const frame = (image: Uint8Array, ms: number) => {
      const header = Buffer.alloc(8);
      header.writeDoubleLE(ms);
      return Buffer.concat([header, image]);
    };
    first.socket.send(frame(new Uint8Array([1, 2, 3, 4]), 0));
    expect(await first.next(2)).toMatchObject({ type: 'error' });
    const grey = await encodeImage(createFrame(new Uint8Array(64 * 48 * 3).fill(90), 64, 48), 'jpeg');
    first.socket.send(frame(grey, 33));
    expect(await first.next(3)).toMatchObject({ type: 'result', index: 0, width: 64, height: 48, faces: [] });
    // A reset starts a new session: its frames count from 0 again.
    first.socket.send('{"type":"reset"}');
    first.socket.send(frame(grey, 66));
    expect(await first.next(4)).toMatchObject({ type: 'result', index: 0 });
    first.socket.close();
    second.socket.close();
    await Promise.all([first.closed, second.closed]);

    // A message over the 2 MiB limit closes that socket (1009); the server goes on serving others.
    const huge = open();
    await huge.next(1);
    huge.socket.send(Buffer.alloc(3 << 20));
    expect(await huge.closed).toBe(1009);
    const after = open();
    expect(await after.next(1)).toMatchObject({ type: 'ready' });
    after.socket.close();
    await after.closed;
  });

  it('streams the camera, draws the faces and shows a verdict', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.click('#start');
    // The page's state read in one go at the first frame that shows a verdict: later frames may
    // lose the face for a moment, which is the page's normal behaviour, not a failure.
    const state = await (
      await page.waitForFunction(
        () => {
          const text = (id: string) => document.getElementById(id)?.textContent ?? '';
          const verdict = document.getElementById('verdict')?.dataset.verdict;
          if (verdict !== 'live' && verdict !== 'spoof') return false;
          const canvas = document.getElementById('overlay') as HTMLCanvasElement;
          const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
          let drawn = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
          return {
            verdict,
            status: text('status'),
            policy: text('policy'),
            reason: text('reason'),
            blinks: text('blinks'),
            drawn,
          };
        },
        undefined,
        { timeout: 40_000, polling: 'raf' },
      )
    ).jsonValue();
    expect(state).toMatchObject({
      status: 'Checking…',
      policy: 'fused',
      reason: expect.stringMatching(/mean P\(live\)/),
    });
    expect(Number(state.blinks)).toBeGreaterThanOrEqual(0);
    // The box, label and landmarks of the face are drawn over the video.
    expect(state.drawn).toBeGreaterThan(1000);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'web-webcam.png') });
    expect(existsSync(join(SCREENSHOT_DIR, 'web-webcam.png'))).toBe(true);

    await page.click('#stop');
    expect(await page.textContent('#status')).toBe('Stopped');
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('');
    expect(errors).toEqual([]);
  });
});
