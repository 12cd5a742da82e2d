import { Redis } from 'ioredis';
import type { ChallengeRecord, ChallengeStore, LockoutPolicy } from './store.js';

// Each transition is one Lua script: Redis runs it alone, so that two processes reading a state
// at once cannot both move it.
const START = `
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local record = cjson.decode(raw)
if record.state ~= 'issued' or tonumber(record.expiresAt) <= tonumber(ARGV[1]) then return nil end
record.state = 'running'
raw = cjson.encode(record)
redis.call('SET', KEYS[1], raw, 'KEEPTTL')
return raw`;

const FINISH = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record.state ~= 'running' then return 0 end
record.state = 'finished'
record.resultJti = ARGV[1]
record.passed = ARGV[2] == '1'
redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
return 1`;

// The window starts at the first failure; reaching the limit swaps the counter for a lock.
const FAIL = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if count < tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
return tonumber(ARGV[3])`;

/**
 * The store shared by several service processes through Redis (the one the batch queue uses),
 * under keys prefixed `prefix`: `challenge:<id>` (the record as JSON), `used:<jti>`,
 * `failures:<client>` and `locked:<client>`, each expiring on its own.
 */
export class RedisChallengeStore implements ChallengeStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    onError: (error: Error) => void = () => {},
    private readonly prefix = 'face-liveness:',
  ) {
    // Fail a command after a few retries instead of queueing it forever: a request waiting on a
    // Redis that is down should be refused, not hang.
    this.redis = new Redis(url, { maxRetriesPerRequest: 2 });
    // ioredis reconnects by itself; without a listener each attempt's error is printed as unhandled.
    this.redis.on('error', onError);
  }

  /** Resolves once connected; rejects with Redis's error when it cannot be reached. */
  async ready(): Promise<void> {
    await this.redis.ping();
  }

  private key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  async create(record: ChallengeRecord, ttlMs: number): Promise<void> {
    await this.redis.set(this.key('challenge', record.id), JSON.stringify(record), 'PX', ttlMs);
  }

  async get(id: string): Promise<ChallengeRecord | undefined> {
    const raw = await this.redis.get(this.key('challenge', id));
    return raw ? (JSON.parse(raw) as ChallengeRecord) : undefined;
  }

  async start(id: string, now: number): Promise<ChallengeRecord | undefined> {
    const raw = (await this.redis.eval(START, 1, this.key('challenge', id), now)) as string | null;
    return raw ? (JSON.parse(raw) as ChallengeRecord) : undefined;
  }

  async finish(id: string, outcome: { resultJti: string; passed: boolean }): Promise<boolean> {
    const done = await this.redis.eval(
      FINISH,
      1,
      this.key('challenge', id),
      outcome.resultJti,
      outcome.passed ? '1' : '0',
    );
    return done === 1;
  }

  async consume(jti: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key('used', jti), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async fail(client: string, policy: LockoutPolicy): Promise<number> {
    const locked = await this.redis.eval(
      FAIL,
      2,
      this.key('failures', client),
      this.key('locked', client),
      policy.maxFailures,
      policy.windowMs,
      policy.lockMs,
    );
    return Number(locked);
  }

  async lockedFor(client: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.key('locked', client)));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
