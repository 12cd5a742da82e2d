import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missing } from '@face-liveness/core/testing';
import { exampleModelStore, REAL_VIDEO, SEED_KERAS_MODEL } from '@face-liveness/example-test-support';
import type { FastifyInstance } from 'fastify';
import { createRemoteJWKSet, importPKCS8, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_TOKEN_TYPE } from '../src/challenge/signing.js';
import { loadConfig } from '../src/config.js';
import { buildServer } from '../src/server.js';
import {
  ChallengeClient,
  frameMessage,
  jpegFrames,
  PASS_STEPS,
  PHOTO,
  passClip,
  photoClip,
  signingKey,
} from './challenge-fixtures.js';

const MINIFASNET = process.env.FACE_LIVENESS_MINIFASNET_DIR ?? '';
const absent = missing(SEED_KERAS_MODEL, REAL_VIDEO, PHOTO, join(MINIFASNET, '2.7_80x80_MiniFASNetV2.onnx'));
const ISSUER = 'face-liveness-test';
// Two API clients (apps) of one service: a result is redeemed only by the one that issued it.
const KEY_A = 'app-a-0123456789abcdef';
const KEY_B = 'app-b-0123456789abcdef';
const audienceA = `key:${createHash('sha256').update(KEY_A).digest('hex').slice(0, 32)}`;

// One process, the default memory store: a challenge issued, run over the socket with the frames
// of a clip where its steps happen, its result signed, verified offline and redeemed once.
describe.skipIf(absent)(`examples/http-service challenges, one process ${absent ?? ''}`, () => {
  let app: FastifyInstance;
  let url: string;
  let work: string;
  let pem: string;
  let live: Buffer[];
  let photo: Buffer[];

  beforeAll(async () => {
    process.env.FACE_LIVENESS_HOME = await exampleModelStore();
    work = await mkdtemp(join(tmpdir(), 'example-http-challenge-'));
    pem = await signingKey();
    [live, photo] = await Promise.all([
      passClip(join(work, 'live.mp4')).then((v) => jpegFrames(v, join(work, 'live'))),
      photoClip(join(work, 'photo.mp4'), 7).then((v) => jpegFrames(v, join(work, 'photo'))),
    ]);
    app = await buildServer({
      // MiniFASNet judges this clip's face live; the original LivenessNet of the store does not.
      engine: { classifierModel: 'minifasnet' },
      challenges: {
        signingKey: pem,
        issuer: ISSUER,
        allowFixedSteps: true,
        lockout: { maxFailures: 2, windowMs: 60_000, lockMs: 30_000 },
        audit: { dir: join(work, 'audit'), frames: 4 },
        firstFrameMs: 3000,
      },
      apiKeys: [KEY_A, KEY_B],
      logger: false,
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown, key = KEY_A) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  const socketUrl = (path: string) => `${url.replace('http', 'ws')}${path}`;

  let passed: { id: string; token: string };

  it('issues a challenge, runs it over the socket, and signs a passing result', async () => {
    const issued = await post('/v1/challenges', { steps: PASS_STEPS, subject: 'person-1' });
    expect(issued.status).toBe(201);
    // The number of steps, not their order: not even the steps this client fixed are echoed.
    expect(Object.keys(issued.body).sort()).toEqual(['expiresAt', 'id', 'socket', 'stepCount']);
    const { id, stepCount, expiresAt, socket } = issued.body;
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(stepCount).toBe(PASS_STEPS.length);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    expect(socket).toBe(`/v1/challenges/${id}/socket`);

    const client = new ChallengeClient(socketUrl(socket));
    const end = await client.stream(live);
    expect(client.messages[0]).toEqual({ type: 'ready', id, stepCount: PASS_STEPS.length, expiresAt });
    // The prompts a page shows, in order, each with its arrow.
    const prompts = client.messages.flatMap((m) => (m.type === 'progress' && m.prompt ? [m.prompt] : []));
    expect(prompts[0]).toMatchObject({ action: 'turn-left', arrow: 'left', text: expect.any(String) });
    expect(prompts.at(-1)).toMatchObject({ action: 'turn-right', arrow: 'right' });
    // Each action is told only when its step is asked: while the first step runs, the second is
    // a placeholder, and nothing sent before its prompt names it.
    const progress = client.messages.filter((m) => m.type === 'progress');
    const secondAsked = progress.findIndex((m) => m.stepIndex === 1);
    // While the service looks for the face, no step is asked yet: not even the first is named.
    expect(progress[0]).toMatchObject({ status: 'waiting-face' });
    expect(progress[0].steps).toEqual([{ outcome: 'not-reached' }, { outcome: 'not-reached' }]);
    const firstStep = progress.find((m) => m.status === 'in-progress' && m.stepIndex === 0);
    expect(firstStep?.steps).toEqual([
      { action: 'turn-left', outcome: 'pending', startedMs: expect.any(Number) },
      { outcome: 'not-reached' },
    ]);
    expect(secondAsked).toBeGreaterThan(0);
    expect(JSON.stringify(client.messages.slice(0, secondAsked + 1))).not.toContain('turn-right');
    expect(progress[secondAsked].steps).toMatchObject([
      { action: 'turn-left', outcome: 'done' },
      { action: 'turn-right', outcome: 'pending' },
    ]);
    expect(end).toMatchObject({ type: 'result', result: { passed: true, reasons: [] } });
    expect((await client.closed).code).toBe(1000);
    passed = { id, token: end?.token as string };

    // Verified offline, as an app's backend does, with the published key.
    const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(passed.token, jwks, {
      issuer: ISSUER,
      typ: RESULT_TOKEN_TYPE,
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ cid: id, passed: true, sub: 'person-1', reasons: [] });
    // Bound to the API client that issued it: its key's SHA-256, first 32 hex digits.
    expect(payload.aud).toBe(audienceA);
    expect(payload.steps).toEqual(PASS_STEPS.map((action) => ({ action, outcome: 'done' })));
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120);

    // The audit trail: a reference frame, each step's frame and the last one, named by challenge id.
    // Written after the answer, folder renamed into place when complete.
    const folder = join(work, 'audit', id);
    for (let i = 0; i < 100 && !existsSync(folder); i++) await new Promise((r) => setTimeout(r, 50));
    expect((await readdir(folder)).sort()).toEqual([
      'last.jpg',
      'reference.jpg',
      'step-1-turn-left.jpg',
      'step-2-turn-right.jpg',
    ]);
  });

  it('redeems a result once, by its issuer; refuses it again, for another challenge or client, expired or tampered', async () => {
    const mismatch = await post('/v1/results/verify', {
      token: passed.token,
      challengeId: 'another-challenge',
    });
    expect(mismatch).toMatchObject({ status: 400, body: { error: 'token_mismatch' } });
    // The challenge id is required: a token is taken only for the challenge the caller issued.
    expect(await post('/v1/results/verify', { token: passed.token })).toMatchObject({
      status: 400,
      body: { error: 'bad_request' },
    });
    // Another app (another API key) cannot redeem it, nor use it up.
    expect(
      await post('/v1/results/verify', { token: passed.token, challengeId: passed.id }, KEY_B),
    ).toMatchObject({ status: 403, body: { error: 'token_wrong_client' } });
    const first = await post('/v1/results/verify', { token: passed.token, challengeId: passed.id });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      valid: true,
      challengeId: passed.id,
      passed: true,
      subject: 'person-1',
    });
    const again = await post('/v1/results/verify', { token: passed.token, challengeId: passed.id });
    expect(again).toMatchObject({ status: 409, body: { error: 'token_used' } });

    // Signed by the right key but expired: refused before anything else.
    const key = await importPKCS8(pem, 'ES256');
    const expired = await new SignJWT({ cid: passed.id, passed: true, steps: [], reasons: [] })
      .setProtectedHeader({ alg: 'ES256', typ: RESULT_TOKEN_TYPE })
      .setIssuer(ISSUER)
      .setAudience(audienceA)
      .setJti('00000000-0000-4000-8000-000000000000')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(key);
    expect(await post('/v1/results/verify', { token: expired, challengeId: passed.id })).toMatchObject({
      status: 410,
      body: { error: 'token_expired' },
    });
    // A valid signature on a result id the service never issued for that challenge.
    const forged = await new SignJWT({ cid: passed.id, passed: true, steps: [], reasons: [] })
      .setProtectedHeader({ alg: 'ES256', typ: RESULT_TOKEN_TYPE })
      .setIssuer(ISSUER)
      .setAudience(audienceA)
      .setJti('00000000-0000-4000-8000-000000000001')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(key);
    expect(await post('/v1/results/verify', { token: forged, challengeId: passed.id })).toMatchObject({
      status: 400,
      body: { error: 'token_invalid' },
    });
    const [head, body, signature] = passed.token.split('.');
    const tampered = `${head}.${body.slice(0, -2)}AA.${signature}`;
    expect(await post('/v1/results/verify', { token: tampered, challengeId: passed.id })).toMatchObject({
      status: 400,
      body: { error: 'token_invalid', message: 'the result token is not valid' },
    });
  });

  it('refuses messages it cannot use, and survives a message over the size limit', async () => {
    const issued = await post('/v1/challenges', { steps: PASS_STEPS, subject: 'person-4' });
    const client = new ChallengeClient(socketUrl(issued.body.socket));
    expect(await client.next(1)).toMatchObject({ type: 'ready' });
    client.socket.send('hello');
    expect(await client.next(2)).toMatchObject({ type: 'error', error: 'bad_message' });
    client.socket.send(Buffer.from('not an image at all'));
    expect(await client.next(3)).toMatchObject({ type: 'error', error: 'bad_frame' });
    // 3 MiB: ws closes the socket (1009) and reports an error event, which must not end the process.
    client.socket.send(Buffer.alloc(3 << 20, 1));
    expect((await client.closed).code).toBe(1009);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('runs a challenge once: a second socket for it is refused', async () => {
    const second = new ChallengeClient(socketUrl(`/v1/challenges/${passed.id}/socket`));
    expect(await second.closed).toMatchObject({ code: 4404 });
    const unknown = new ChallengeClient(socketUrl('/v1/challenges/AAAAAAAAAAAAAAAAAAAAAA/socket'));
    expect(await unknown.closed).toMatchObject({ code: 4404 });
  });

  it('fails a printed photo, signs the failure, and locks the client out after repeated failures', async () => {
    const subject = 'person-2';
    const issued = await post('/v1/challenges', { steps: PASS_STEPS, subject });
    const client = new ChallengeClient(socketUrl(issued.body.socket));
    const end = await client.stream(photo);
    expect(end).toMatchObject({ type: 'result', result: { passed: false } });
    const codes = (end?.result as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(codes).toContain('timeout');
    const redeemed = await post('/v1/results/verify', { token: end?.token, challengeId: issued.body.id });
    expect(redeemed.body).toMatchObject({
      valid: true,
      passed: false,
      reasons: expect.arrayContaining(['timeout']),
    });
    // The token of one challenge is refused for another.
    const other = await post('/v1/challenges', { steps: PASS_STEPS, subject });
    expect(await post('/v1/results/verify', { token: end?.token, challengeId: other.body.id })).toMatchObject(
      {
        status: 400,
        body: { error: 'token_mismatch' },
      },
    );
    // A socket closed mid-way is a failure too: the second one locks this person out (limit 2).
    const quitter = new ChallengeClient(socketUrl(other.body.socket));
    await quitter.next(1);
    quitter.socket.close();
    await quitter.closed;
    let locked = await post('/v1/challenges', { subject });
    for (let i = 0; i < 50 && locked.status !== 429; i++) {
      await new Promise((r) => setTimeout(r, 20));
      locked = await post('/v1/challenges', { subject });
    }
    expect(locked).toMatchObject({ status: 429, body: { error: 'locked_out' } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(25);
    // Another person of the same app is not locked.
    expect((await post('/v1/challenges', { subject: 'person-3' })).status).toBe(201);
  });

  it('judges on server time: a frozen client clock cannot keep a step open past its window', async () => {
    const issued = await post('/v1/challenges', { steps: PASS_STEPS, subject: 'frozen-clock' });
    const client = new ChallengeClient(socketUrl(issued.body.socket));
    expect(await client.next(1)).toMatchObject({ type: 'ready' });
    // A face facing the camera, every frame stamped 0 ms: the turn never comes, and the step's
    // 5 s run out on the server's clock (1 s of client lag allowed), not never.
    const started = Date.now();
    let end: (typeof client.messages)[number] | undefined;
    for (let i = 0; Date.now() - started < 12_000; i++) {
      client.socket.send(frameMessage(live[0], 0));
      const answer = await client.next(i + 2);
      if (!answer || answer.type === 'error') break;
      if (answer.type === 'progress' && answer.status === 'failed') {
        end = await client.next(i + 3);
        break;
      }
      await new Promise((r) => setTimeout(r, 66));
    }
    expect(end, JSON.stringify(client.messages.slice(-3))).toMatchObject({
      type: 'result',
      result: { passed: false },
    });
    const codes = (end?.result as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(codes).toContain('timeout');
    expect(Date.now() - started).toBeGreaterThan(5000);
  });

  it('closes a socket that sends no frame within CHALLENGE_FIRST_FRAME_MS (4408)', async () => {
    const issued = await post('/v1/challenges', { steps: PASS_STEPS, subject: 'idle' });
    const client = new ChallengeClient(socketUrl(issued.body.socket));
    expect(await client.next(1)).toMatchObject({ type: 'ready' });
    expect(await client.closed).toMatchObject({ code: 4408 });
    expect(client.messages.at(-1)).toMatchObject({ type: 'error', error: 'challenge_idle' });
  });

  it('serves the guided page with a policy letting it open the camera and its socket', async () => {
    const page = await fetch(`${url}/challenge.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await page.text()).toContain('challenge.js');
    expect((await fetch(`${url}/challenge.js`)).status).toBe(200);
    expect((await fetch(`${url}/../package.json`)).status).toBe(404);
    const jwks = await (await fetch(`${url}/.well-known/jwks.json`)).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
  });
});

describe('examples/http-service challenge settings', () => {
  it('draws the steps itself, refuses steps chosen by the client, and runs nothing without models', async () => {
    // The drawn steps are in the service's log only: the answer gives their count.
    const lines: { msg?: string; challenge?: string; steps?: string[] }[] = [];
    const app = await buildServer({
      engine: { classifierModel: '/nonexistent/livenessnet' },
      // Three: the pipeline's draw may require as many (from two, the order would alternate).
      challenges: { actions: ['blink', 'open-mouth', 'look-up'], count: 4 },
      logger: { level: 'info', stream: { write: (line: string) => lines.push(JSON.parse(line)) } },
    });
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const post = (body: unknown) =>
        fetch(`${url}/v1/challenges`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
      const refused = await post({ steps: ['blink'] });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: 'fixed_steps_refused' });
      expect((await post({ steps: ['dance'] })).status).toBe(400);
      expect((await post({ colour: 'blue' })).status).toBe(400);
      // Without API keys the browser would choose the subject (the token's sub, the lockout's key).
      const subject = await post({ subject: 'someone' });
      expect(subject.status).toBe(400);
      expect(await subject.json()).toMatchObject({ error: 'subject_refused' });
      // Issuing needs no model (the socket may reach another process): drawn from the configured
      // actions, never the same twice in a row.
      const issued = await post({});
      expect(issued.status).toBe(201);
      const { id, stepCount, socket } = await issued.json();
      expect(stepCount).toBe(4);
      const steps = lines.find((l) => l.msg === 'challenge issued' && l.challenge === id)?.steps ?? [];
      expect(steps).toHaveLength(4);
      for (let i = 1; i < steps.length; i++) expect(steps[i]).not.toBe(steps[i - 1]);
      for (const step of steps) expect(['blink', 'open-mouth', 'look-up']).toContain(step);
      // This process cannot run it: 4503, and the challenge stays unused for a retry.
      const client = new ChallengeClient(`${url.replace('http', 'ws')}${socket}`);
      expect((await client.closed).code).toBe(4503);
    } finally {
      await app.close();
    }
  });
});

describe('examples/http-service challenge configuration', () => {
  it('takes the documented defaults, and refuses Redis without a shared key, never echoing secrets', () => {
    const { challenges } = loadConfig({}).service;
    expect(challenges).toMatchObject({
      count: 3,
      ttlMs: 60_000,
      tokenTtlSeconds: 120,
      maxRunning: 4,
      firstFrameMs: 5000,
      idleMs: 3000,
      allowFixedSteps: false,
      lockout: { maxFailures: 5, windowMs: 900_000, lockMs: 900_000 },
    });
    expect(challenges?.audit).toBeUndefined();
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      'CHALLENGE_SIGNING_KEY: is required with REDIS_URL (every process must sign with the same key)',
    );
    // A Redis URL may hold a password, a key is a secret: the lines name them without their values.
    const refused = () =>
      loadConfig({
        REDIS_URL: 'http://user:secret@host',
        CHALLENGE_SIGNING_KEY: 'secret',
        CHALLENGE_ALLOW_FIXED_STEPS: 'yes',
      });
    expect(refused).toThrow('  CHALLENGE_ALLOW_FIXED_STEPS="yes": must be 1, true, 0 or false');
    expect(refused).toThrow('  REDIS_URL: must be a URL such as redis://127.0.0.1:6379');
    expect(refused).not.toThrow(/secret/);
  });
});
