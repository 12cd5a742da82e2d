import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_SERVER, startRedis } from '@face-liveness/example-test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChallengeStore } from '../src/challenge/memory-store.js';
import { RedisChallengeStore } from '../src/challenge/redis-store.js';
import type { ChallengeRecord, ChallengeStore } from '../src/challenge/store.js';

const record = (id: string, expiresAt = Date.now() + 60_000): ChallengeRecord => ({
  id,
  steps: ['turn-left', 'blink'],
  expiresAt,
  client: 'client-a',
  subject: 'person',
  state: 'issued',
});
const policy = { maxFailures: 3, windowMs: 60_000, lockMs: 2_000 };

// The same contract for both stores: what one process sees, the other must see alike.
function contract(name: string, open: () => Promise<ChallengeStore>) {
  describe(`challenge store: ${name}`, () => {
    let store: ChallengeStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('moves a challenge issued -> running -> finished, each once', async () => {
      const issued = record(`${name}-1`);
      await store.create(issued, 60_000);
      expect(await store.get(issued.id)).toEqual(issued);
      const [a, b] = await Promise.all([
        store.start(`${name}-1`, Date.now()),
        store.start(`${name}-1`, Date.now()),
      ]);
      expect([a?.state, b?.state].sort()).toEqual(['running', undefined].sort());
      expect(await store.finish(`${name}-1`, { resultJti: 'jti-1', passed: true })).toBe(true);
      expect(await store.finish(`${name}-1`, { resultJti: 'jti-2', passed: false })).toBe(false);
      expect(await store.get(`${name}-1`)).toMatchObject({
        state: 'finished',
        resultJti: 'jti-1',
        passed: true,
      });
      expect(await store.start('unknown', Date.now())).toBeUndefined();
    });

    it('does not start a challenge past its expiry, and forgets it after its time to live', async () => {
      await store.create(record(`${name}-2`, Date.now() - 1), 60_000);
      expect(await store.start(`${name}-2`, Date.now())).toBeUndefined();
      await store.create(record(`${name}-3`), 100);
      await new Promise((r) => setTimeout(r, 250));
      expect(await store.get(`${name}-3`)).toBeUndefined();
    });

    it('consumes a result id once, and locks a client out at the limit for its time', async () => {
      expect(await store.consume(`${name}-jti`, 60_000)).toBe(true);
      expect(await store.consume(`${name}-jti`, 60_000)).toBe(false);
      const client = `${name}-client`;
      expect(await store.fail(client, policy)).toBe(0);
      expect(await store.fail(client, policy)).toBe(0);
      expect(await store.lockedFor(client)).toBe(0);
      expect(await store.fail(client, policy)).toBe(2_000);
      const left = await store.lockedFor(client);
      expect(left).toBeGreaterThan(1_500);
      expect(left).toBeLessThanOrEqual(2_000);
      expect(await store.lockedFor(`${name}-other`)).toBe(0);
      await new Promise((r) => setTimeout(r, 2_100));
      expect(await store.lockedFor(client)).toBe(0);
      // The counter started again from zero with the lock.
      expect(await store.fail(client, policy)).toBe(0);
    });
  });
}

contract('memory', async () => new MemoryChallengeStore());

describe.skipIf(!existsSync(REDIS_SERVER))(
  `challenge store on Redis ${existsSync(REDIS_SERVER) ? '' : `(no ${REDIS_SERVER})`}`,
  () => {
    let work: string;
    let redis: Awaited<ReturnType<typeof startRedis>>;
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'example-http-store-'));
      redis = await startRedis(work);
    });
    afterAll(async () => {
      await redis?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });
    contract('redis', async () => {
      const store = new RedisChallengeStore(redis.url);
      await store.ready();
      return store;
    });
  },
);
