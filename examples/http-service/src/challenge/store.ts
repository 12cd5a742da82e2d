import type { ChallengeAction } from '@face-liveness/pipeline';

/** Where a challenge is: issued (waiting for its socket), running (one socket streams it), finished (result signed). */
export type ChallengeState = 'issued' | 'running' | 'finished';

/** What every service process must know of a challenge, wherever its frames arrive. */
export interface ChallengeRecord {
  id: string;
  steps: ChallengeAction[];
  /** When the challenge stops accepting a socket or frames (ms since the epoch). */
  expiresAt: number;
  /** Whose failures it counts toward (see {@link clientKey}). */
  client: string;
  /** SHA-256 of the API key that issued it (hex), when keys are configured: only that key redeems its result. */
  keyHash?: string;
  /** The app's own id of the person, when it sent one; copied into the result token's `sub`. */
  subject?: string;
  state: ChallengeState;
  /** Set when finished: the id (`jti`) of the one result token issued for it. */
  resultJti?: string;
  passed?: boolean;
}

/** How many failures lock a client out, over which window, for how long. */
export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/**
 * The state several service processes share: challenges, consumed result ids and lockout
 * counters. Every transition is atomic in the store, so that two processes cannot both run one
 * challenge or both redeem one result.
 */
export interface ChallengeStore {
  /** Keeps `record` until `ttlMs` from now. */
  create(record: ChallengeRecord, ttlMs: number): Promise<void>;
  get(id: string): Promise<ChallengeRecord | undefined>;
  /** issued -> running, once: the record, or undefined when it is unknown, expired or no longer issued. */
  start(id: string, now: number): Promise<ChallengeRecord | undefined>;
  /** running -> finished with its result token's id; false when it was not running. */
  finish(id: string, outcome: { resultJti: string; passed: boolean }): Promise<boolean>;
  /** Marks a result id used: true the first time, false ever after (until `ttlMs`, past the token's expiry). */
  consume(jti: string, ttlMs: number): Promise<boolean>;
  /** Counts a failure of `client`; returns how long it is now locked out (0 when it is not). */
  fail(client: string, policy: LockoutPolicy): Promise<number>;
  /** How long `client` stays locked out, ms (0: not locked). */
  lockedFor(client: string): Promise<number>;
  close(): Promise<void>;
}
