import type { ChallengeRecord, ChallengeStore, LockoutPolicy } from './store.js';

interface Expiring<T> {
  value: T;
  until: number;
}

/**
 * The store of one process (the default): enough when a single process serves the challenges, as
 * a socket and the redeem call then always reach it. Expired entries are dropped when met and by
 * a sweep, so that an abandoned challenge does not stay in memory.
 */
export class MemoryChallengeStore implements ChallengeStore {
  private readonly challenges = new Map<string, Expiring<ChallengeRecord>>();
  private readonly used = new Map<string, Expiring<true>>();
  private readonly failures = new Map<string, Expiring<number>>();
  private readonly locks = new Map<string, Expiring<true>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000).unref();
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string): Expiring<T> | undefined {
    const entry = map.get(key);
    if (entry && entry.until <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const map of [this.challenges, this.used, this.failures, this.locks] as Map<
      string,
      Expiring<unknown>
    >[]) {
      for (const key of map.keys()) this.live(map, key);
    }
  }

  async create(record: ChallengeRecord, ttlMs: number): Promise<void> {
    this.challenges.set(record.id, { value: { ...record }, until: this.now() + ttlMs });
  }

  async get(id: string): Promise<ChallengeRecord | undefined> {
    const entry = this.live(this.challenges, id);
    return entry && { ...entry.value };
  }

  async start(id: string, now: number): Promise<ChallengeRecord | undefined> {
    const entry = this.live(this.challenges, id);
    if (!entry || entry.value.state !== 'issued' || entry.value.expiresAt <= now) return undefined;
    entry.value.state = 'running';
    return { ...entry.value };
  }

  async finish(id: string, outcome: { resultJti: string; passed: boolean }): Promise<boolean> {
    const entry = this.live(this.challenges, id);
    if (!entry || entry.value.state !== 'running') return false;
    Object.assign(entry.value, { state: 'finished', ...outcome });
    return true;
  }

  async consume(jti: string, ttlMs: number): Promise<boolean> {
    if (this.live(this.used, jti)) return false;
    this.used.set(jti, { value: true, until: this.now() + ttlMs });
    return true;
  }

  async fail(client: string, policy: LockoutPolicy): Promise<number> {
    const now = this.now();
    const entry = this.live(this.failures, client) ?? { value: 0, until: now + policy.windowMs };
    entry.value++;
    this.failures.set(client, entry);
    if (entry.value < policy.maxFailures) return 0;
    this.failures.delete(client);
    this.locks.set(client, { value: true, until: now + policy.lockMs });
    return policy.lockMs;
  }

  async lockedFor(client: string): Promise<number> {
    const lock = this.live(this.locks, client);
    return lock ? lock.until - this.now() : 0;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
