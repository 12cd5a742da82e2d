import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildExample } from '@face-liveness/example-test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.js';

const KEY = 'test-key-0123456789abcdef';
const ORIGIN = 'https://app.example.org';

// A server whose classifier cannot be loaded: what a public deployment adds around the checks
// (authentication, rate limits, CORS, headers, readiness) answers before any model is needed.
describe('examples/http-service in front of the checks', () => {
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    app = await buildServer({
      engine: { classifierModel: '/nonexistent/livenessnet' },
      apiKeys: [KEY],
      rateLimit: { max: 3, windowMs: 60_000 },
      corsOrigins: [ORIGIN],
      logger: false,
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (headers: Record<string, string> = {}) =>
    fetch(`${url}/v1/liveness`, {
      method: 'POST',
      body: new Uint8Array([0xff, 0xd8, 0xff]),
      headers: { 'content-type': 'image/jpeg', ...headers },
    });

  it('is alive at once, and not ready while the models are missing', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    let ready = await fetch(`${url}/readyz`);
    while ((await ready.clone().json()).status === 'loading') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await fetch(`${url}/readyz`);
    }
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await ready.json()).toEqual({ status: 'models_unavailable' });
  });

  it('requires an API key, then limits each client, with security headers and CORS for the allowed origin', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-key-0123456789abcdef' },
      { authorization: KEY },
    ]) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect((await res.json()).error).toBe('unauthorized');
    }
    const auth = { authorization: `Bearer ${KEY}` };
    const first = await post({ ...auth, origin: ORIGIN });
    // Authenticated, and refused only because no model is loaded: 503 with a time to come back.
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await first.json()).error).toBe('not_ready');
    expect(first.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('content-security-policy')).toContain("default-src 'none'");
    const other = await post({ ...auth, origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await post(auth);
    const limited = await post(auth);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({
      error: 'rate_limited',
      message: expect.stringContaining('3 requests'),
    });
    // Probes are neither authenticated nor limited.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

describe('examples/http-service configuration', () => {
  it('refuses bad settings with one line per variable and exit code 2, before loading anything', async () => {
    const dir = await buildExample('http-service');
    const run = promisify(execFile);
    const env = { ...process.env, CONCURRENCY: 'lots', MAX_BYTES: '-5', PORT: '99999', API_KEYS: 'secret' };
    const error = await run(process.execPath, [join(dir, 'dist/main.js')], { env }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toBe(
      [
        'invalid configuration:',
        '  PORT="99999": must be a whole number from 0 to 65535',
        '  CONCURRENCY="lots": must be a whole number from 1 to 64',
        '  MAX_BYTES="-5": must be a whole number from 1024 to 1000000000',
        '  API_KEYS: each key must have at least 16 characters',
        '',
      ].join('\n'),
    );
  });
});
