import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missing } from '@face-liveness/core/testing';
import {
  CHROMIUM,
  exampleModelStore,
  launchWithFakeCamera,
  REAL_VIDEO,
  SEED_KERAS_MODEL,
} from '@face-liveness/example-test-support';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.js';
import { PASS_STEPS, PHOTO, passClip, photoClip, signingKey } from './challenge-fixtures.js';

const MINIFASNET = process.env.FACE_LIVENESS_MINIFASNET_DIR ?? '';
const absent = missing(
  SEED_KERAS_MODEL,
  REAL_VIDEO,
  PHOTO,
  CHROMIUM,
  join(MINIFASNET, '2.7_80x80_MiniFASNetV2.onnx'),
);
/** Where the test leaves its screenshots, to look at. */
const SCREENSHOT_DIR = join(tmpdir(), 'face-liveness-example-screenshots');

/** The page's visible state, read in one go. */
function pageState(page: Page) {
  return page.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent ?? '';
    const canvas = document.getElementById('overlay') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    // The oval's outline: the canvas pixel on its left edge, half-way down.
    const ry = canvas.height * 0.36;
    const rx = Math.min(ry * 0.75, canvas.width * 0.42);
    const edge = ctx?.getImageData(
      Math.round(canvas.width / 2 - rx),
      Math.round(canvas.height * 0.47),
      1,
      1,
    ).data;
    const centre = ctx?.getImageData(
      Math.round(canvas.width / 2),
      Math.round(canvas.height * 0.47),
      1,
      1,
    ).data;
    return {
      prompt: text('prompt'),
      arrow: document.getElementById('arrow')?.dataset.direction ?? '',
      status: text('status'),
      steps: Array.from(document.querySelectorAll('#steps li')).map(
        (li) => `${li.textContent}:${(li as HTMLElement).dataset.outcome}`,
      ),
      feedback: Array.from(document.querySelectorAll('#feedback li')).map((li) => li.textContent),
      result: document.getElementById('result')?.dataset.outcome ?? '',
      resultTitle: text('result-title'),
      reasons: Array.from(document.querySelectorAll('#result-reasons li')).map((li) => li.textContent),
      ovalEdge: edge ? [...edge] : [],
      ovalCentre: centre ? [...centre] : [],
      token: (window as { livenessResult?: { token: string } }).livenessResult?.token ?? '',
    };
  });
}

// The guided page in a real Chromium whose camera is a clip: a live person doing the scripted
// steps passes; a printed photo, which can do no step, fails.
describe.skipIf(absent)(`examples/http-service challenge page in Chromium ${absent ?? ''}`, () => {
  let app: FastifyInstance;
  let url: string;
  let work: string;
  const browsers: BrowserContext[] = [];

  beforeAll(async () => {
    process.env.FACE_LIVENESS_HOME = await exampleModelStore();
    work = await mkdtemp(join(tmpdir(), 'example-http-page-'));
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await buildServer({
      engine: { classifierModel: 'minifasnet' },
      challenges: { signingKey: await signingKey(), allowFixedSteps: true },
      logger: false,
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function runPage(camera: string, name: string) {
    const browser = await launchWithFakeCamera(camera, join(work, `profile-${name}`));
    browsers.push(browser);
    const res = await fetch(`${url}/v1/challenges`, {
      method: 'POST',
      body: JSON.stringify({ steps: PASS_STEPS }),
      headers: { 'content-type': 'application/json' },
    });
    const { id } = (await res.json()) as { id: string };
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    // The server's messages as the page got them: what explains a failure.
    const messages: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const m = JSON.parse(String(payload));
        messages.push(
          m.type === 'progress'
            ? `${Math.round(m.timestampMs)} ${m.status} ${m.steps.map((x: { outcome: string }) => x.outcome)} ${m.feedback.map((f: { code: string }) => f.code)}`
            : JSON.stringify(m.result?.reasons ?? m),
        );
      }),
    );
    await page.goto(`${url}/challenge.html?challenge=${id}`);
    await page.click('#start');
    // The first step's prompt, with its arrow, over the video and inside the oval.
    await page.waitForFunction(
      () => document.getElementById('arrow')?.dataset.direction === 'left',
      undefined,
      {
        timeout: 30_000,
        polling: 100,
      },
    );
    const prompting = await pageState(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `challenge-${name}-prompt.png`) });
    await page.waitForFunction(() => document.getElementById('result')?.dataset.outcome, undefined, {
      timeout: 40_000,
      polling: 100,
    });
    const ended = await pageState(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `challenge-${name}-result.png`) });
    return { prompting, ended, errors, messages };
  }

  it('guides a live person through the steps and shows the pass', async () => {
    const camera = await passClip(join(work, 'live.y4m'));
    const { prompting, ended, errors, messages } = await runPage(camera, 'live');
    if (ended.result !== 'passed') console.log(messages.join('\n'));
    // The second step is a placeholder: the server names it only when it is asked.
    expect(prompting).toMatchObject({
      prompt: 'Slowly turn your head to your left',
      arrow: 'left',
      status: 'Step 1 of 2',
      steps: ['Turn left:pending', 'Step 2:not-reached'],
    });
    // The oval is drawn (opaque outline) and its inside left clear for the face.
    expect(prompting.ovalEdge[3]).toBeGreaterThan(200);
    expect(prompting.ovalCentre[3]).toBe(0);
    expect(ended).toMatchObject({
      result: 'passed',
      resultTitle: 'Check passed',
      steps: ['Turn left:done', 'Turn right:done'],
      arrow: '',
    });
    expect(ended.token.split('.')).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('shows the quality feedback live', async () => {
    // The live clip darkened: its face is found but too dark to count, which the page says.
    const camera = await passClip(join(work, 'dark.y4m'), 15, ['eq=brightness=-0.45']);
    const browser = await launchWithFakeCamera(camera, join(work, 'profile-dark'));
    browsers.push(browser);
    const page = await browser.newPage();
    await page.goto(`${url}/challenge.html`);
    await page.click('#start');
    await page.waitForSelector('#feedback li[data-code="too-dark"]', { timeout: 30_000 });
    const state = await pageState(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'challenge-dark-feedback.png') });
    expect(state.feedback).toContain('too dark: face a light, or turn one on');
    // Amber: the frame does not count.
    expect(state.ovalEdge.slice(0, 3)).toEqual([245, 158, 11]);
    await page.close();
  });

  it('fails a printed photo and says why', async () => {
    const camera = await photoClip(join(work, 'photo.y4m'), 4);
    const { prompting, ended, errors } = await runPage(camera, 'photo');
    expect(prompting.prompt).toBe('Slowly turn your head to your left');
    expect(prompting.steps).toEqual(['Turn left:pending', 'Step 2:not-reached']);
    expect(ended).toMatchObject({ result: 'failed', resultTitle: 'Check failed' });
    expect(ended.steps[0]).toBe('Turn left:failed');
    expect(ended.reasons.join(' ')).toMatch(/not done within 5 s/);
    expect(errors).toEqual([]);
  });
});
