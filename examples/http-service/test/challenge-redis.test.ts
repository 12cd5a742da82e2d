import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missing } from '@face-liveness/core/testing';
import {
  buildExample,
  exampleModelStore,
  freePort,
  REAL_VIDEO,
  REDIS_SERVER,
  SEED_KERAS_MODEL,
  startRedis,
  waitForLine,
} from '@face-liveness/example-test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChallengeClient, jpegFrames, PASS_STEPS, passClip, signingKey } from './challenge-fixtures.js';

const API_KEY = 'redis-test-app-0123456789';
const MINIFASNET = process.env.FACE_LIVENESS_MINIFASNET_DIR ?? '';
const absent = missing(
  SEED_KERAS_MODEL,
  REAL_VIDEO,
  REDIS_SERVER,
  join(MINIFASNET, '2.7_80x80_MiniFASNetV2.onnx'),
);

// Two service processes, as behind a load balancer, sharing one Redis: a challenge issued by one
// runs on the other and is redeemed on the first, once; failures on either lock out on both.
describe.skipIf(absent)(
  `examples/http-service challenges across two processes on one Redis ${absent ?? ''}`,
  () => {
    let work: string;
    let redis: Awaited<ReturnType<typeof startRedis>>;
    const services: ChildProcess[] = [];
    const urls: string[] = [];
    let frames: Buffer[];

    beforeAll(async () => {
      const [dir, home] = await Promise.all([buildExample('http-service'), exampleModelStore()]);
      work = await mkdtemp(join(tmpdir(), 'example-http-redis-'));
      redis = await startRedis(work);
      const key = await signingKey();
      frames = await passClip(join(work, 'live.mp4')).then((v) => jpegFrames(v, join(work, 'frames')));
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        const child = spawn(process.execPath, [join(dir, 'dist/main.js')], {
          env: {
            ...process.env,
            PORT: String(port),
            FACE_LIVENESS_HOME: home,
            CLASSIFIER: 'minifasnet',
            REDIS_URL: redis.url,
            CHALLENGE_SIGNING_KEY: key,
            CHALLENGE_ALLOW_FIXED_STEPS: '1',
            // With keys, as an app's backend calls it: the subject is then the app's to name.
            API_KEYS: API_KEY,
            LOCKOUT_MAX_FAILURES: '3',
            LOCKOUT_MS: '60000',
            LOG_LEVEL: 'info',
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        services.push(child);
        urls.push(`http://127.0.0.1:${port}`);
      }
      await Promise.all(services.map((s) => waitForLine(s, /models loaded/, 120_000)));
    });
    afterAll(async () => {
      for (const s of services) s.kill('SIGTERM');
      await Promise.all(
        services.map((s) => (s.exitCode === null ? new Promise((r) => s.once('exit', r)) : 0)),
      );
      await redis?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    const post = async (url: string, path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      });
      return { status: res.status, headers: res.headers, body: await res.json() };
    };
    const socketUrl = (url: string, path: string) => `${url.replace('http', 'ws')}${path}`;

    it('issues on A, runs on B, redeems on A once; a second redeem on B is refused', async () => {
      const [a, b] = urls;
      const issued = await post(a, '/v1/challenges', { steps: PASS_STEPS, subject: 'traveller' });
      expect(issued.status).toBe(201);
      const client = new ChallengeClient(socketUrl(b, issued.body.socket));
      const end = await client.stream(frames);
      expect(end).toMatchObject({ type: 'result', result: { passed: true } });
      // Already run on B: A will not run it again.
      const again = new ChallengeClient(socketUrl(a, issued.body.socket));
      expect((await again.closed).code).toBe(4404);
      // Both processes publish the same key.
      const [jwksA, jwksB] = await Promise.all(
        urls.map(async (u) => (await fetch(`${u}/.well-known/jwks.json`)).json()),
      );
      expect(jwksA).toEqual(jwksB);

      const first = await post(a, '/v1/results/verify', { token: end?.token, challengeId: issued.body.id });
      expect(first).toMatchObject({ status: 200, body: { valid: true, passed: true, subject: 'traveller' } });
      const second = await post(b, '/v1/results/verify', { token: end?.token, challengeId: issued.body.id });
      expect(second).toMatchObject({ status: 409, body: { error: 'token_used' } });
    });

    it('counts failures on either process toward one lockout, seen by both', async () => {
      const subject = 'repeated-failures';
      // Three runs abandoned mid-way (limit 3), on A, B, A: each is a failure.
      for (const [i, url] of [urls[0], urls[1], urls[0]].entries()) {
        const issued = await post(urls[(i + 1) % 2], '/v1/challenges', { steps: PASS_STEPS, subject });
        expect(issued.status).toBe(201);
        const quitter = new ChallengeClient(socketUrl(url, issued.body.socket));
        expect(await quitter.next(1)).toMatchObject({ type: 'ready' });
        quitter.socket.close();
        await quitter.closed;
      }
      for (const url of urls) {
        let locked = await post(url, '/v1/challenges', { subject });
        for (let i = 0; i < 50 && locked.status !== 429; i++) {
          await new Promise((r) => setTimeout(r, 20));
          locked = await post(url, '/v1/challenges', { subject });
        }
        expect(locked).toMatchObject({ status: 429, body: { error: 'locked_out' } });
        expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(50);
      }
      expect((await post(urls[1], '/v1/challenges', { subject: 'someone-else' })).status).toBe(201);
    });
  },
);
