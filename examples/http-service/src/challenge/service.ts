import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ChallengeAction, type ChallengeResult, drawChallengeSteps } from '@face-liveness/pipeline';
import { errors as joseErrors } from 'jose';
import { ServiceError } from '../errors.js';
import type { AuditOptions } from './audit.js';
import type { ResultPayload, ResultSigner } from './signing.js';
import type { ChallengeRecord, ChallengeStore, LockoutPolicy } from './store.js';

/** Settings of the challenges; defaults as in the README's table. */
export interface ChallengeSettings {
  /** Steps of a challenge the service picks, 2-4. Default 3. */
  count: number;
  /** The actions steps are drawn from. Default: all six. */
  actions?: readonly ChallengeAction[];
  /** Time from issue to the end of the last step, ms. Default 60000. */
  ttlMs: number;
  /** Time one step may take, ms (the challenge engine's own default when absent). */
  stepTimeoutMs?: number;
  /** How long a result token is valid, s. Default 120. */
  tokenTtlSeconds: number;
  lockout: LockoutPolicy;
  /** Let the creator name the steps and seed (tests, demos); never in production. Default false. */
  allowFixedSteps: boolean;
  /** Sockets streaming at once in this process. Default 4. */
  maxRunning: number;
  /** Wall time from a socket's opening to its first frame, ms. Default 5000. */
  firstFrameMs: number;
  /** Longest wall-time gap between frames (the server's own analysis not counted), ms. Default 3000. */
  idleMs: number;
  /** Largest frame (width x height), refused from its header before decoding. Default 4 MP. */
  maxPixels: number;
  audit?: AuditOptions;
}

export const DEFAULT_CHALLENGE_SETTINGS: ChallengeSettings = {
  count: 3,
  ttlMs: 60_000,
  tokenTtlSeconds: 120,
  lockout: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  allowFixedSteps: false,
  maxRunning: 4,
  firstFrameMs: 5000,
  idleMs: 3000,
  maxPixels: 4_000_000,
};

/**
 * What `POST /v1/challenges` answers: the number of steps, never their actions, which the
 * socket tells one at a time as each is asked (an order known up front lets an attacker prepare
 * a puppet or a splice). One shape always, even for steps the client fixed itself
 * (`CHALLENGE_ALLOW_FIXED_STEPS`): a client written against a test service then works unchanged
 * against a production one.
 */
export interface IssuedChallenge {
  id: string;
  stepCount: number;
  expiresAt: string;
  socket: string;
}

/** What `POST /v1/results/verify` answers for a valid, unused token. */
export interface VerifiedResult {
  valid: true;
  challengeId: string;
  passed: boolean;
  subject?: string;
  steps: ResultPayload['steps'];
  reasons: string[];
  issuedAt: string;
}

/** The `aud` of results issued without API keys (no client to bind them to). */
export const UNKEYED_AUDIENCE = 'unkeyed';

/** SHA-256 of an API key, hex: what the store keeps of the key a challenge was issued with. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * The `aud` of the results of challenges issued with an API key: `key:` and the first 32 hex
 * digits of the key's SHA-256, so that a backend verifying offline can compute its own.
 */
export const audienceOf = (keyHash: string | undefined) =>
  keyHash ? `key:${keyHash.slice(0, 32)}` : UNKEYED_AUDIENCE;

/** A challenge id: 128 random bits, so that holding one is what grants its socket. */
const newId = () => randomBytes(16).toString('base64url');
export const CHALLENGE_ID = /^[A-Za-z0-9_-]{22}$/;

export const socketPath = (id: string) => `/v1/challenges/${id}/socket`;

/** The answer for an issued challenge's record. */
export function issuedAnswer(record: ChallengeRecord): IssuedChallenge {
  return {
    id: record.id,
    stepCount: record.steps.length,
    expiresAt: new Date(record.expiresAt).toISOString(),
    socket: socketPath(record.id),
  };
}

/**
 * The challenge flow shared by the routes and the socket: issue, lockout, sign, verify-and-redeem,
 * with all shared state in the store so that any process can take any step.
 */
export class ChallengeService {
  /** Challenges streaming (or claiming their run) in this process: see {@link reserve}. */
  running = 0;
  /** Set when the process shuts down: the sockets it closes are not the clients' failures. */
  closing = false;
  private readonly ending = new Set<Promise<void>>();

  constructor(
    readonly store: ChallengeStore,
    readonly signer: ResultSigner,
    readonly settings: ChallengeSettings,
  ) {}

  /**
   * Takes one of the process's `maxRunning` slots, synchronously (before any store round trip),
   * so that sockets opened at once cannot all pass the check; false when none is free. Each
   * true is followed by one {@link release}.
   */
  reserve(): boolean {
    if (this.running >= this.settings.maxRunning) return false;
    this.running++;
    return true;
  }

  release(): void {
    this.running = Math.max(0, this.running - 1);
  }

  private async refuseLocked(client: string): Promise<void> {
    const ms = await this.store.lockedFor(client);
    if (ms > 0) {
      throw new ServiceError(429, 'locked_out', 'too many failed challenges; try again later', {
        retryAfterSeconds: Math.ceil(ms / 1000),
      });
    }
  }

  /** Creates a challenge; the record holds its steps, for the log (the client gets {@link issuedAnswer}). */
  async issue(request: {
    client: string;
    /** {@link hashApiKey} of the caller's key, when keys are configured: only that key redeems the result. */
    keyHash?: string;
    subject?: string;
    steps?: ChallengeAction[];
    seed?: string;
  }): Promise<ChallengeRecord> {
    await this.refuseLocked(request.client);
    // Unseeded, the draw takes each step from the platform's cryptographic generator.
    const steps =
      request.steps ??
      drawChallengeSteps({ count: this.settings.count, seed: request.seed, actions: this.settings.actions });
    const now = Date.now();
    const record: ChallengeRecord = {
      id: newId(),
      steps,
      expiresAt: now + this.settings.ttlMs,
      client: request.client,
      ...(request.keyHash ? { keyHash: request.keyHash } : {}),
      ...(request.subject ? { subject: request.subject } : {}),
      state: 'issued',
    };
    // Kept until its token can no longer be redeemed, so that the redeem still finds it.
    await this.store.create(record, this.settings.ttlMs + this.settings.tokenTtlSeconds * 1000);
    return record;
  }

  /** Keeps `end` (a run's ending: signing, audit frames) until it settles, for {@link idle}. */
  track(end: Promise<void>): void {
    this.ending.add(end);
    void end.finally(() => this.ending.delete(end));
  }

  /** Resolves once the runs ending now have ended: the engine they use may then close. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.ending]);
  }

  /** Claims an issued challenge for a socket; a {@link ServiceError} says why it cannot run. */
  async start(id: string): Promise<ChallengeRecord> {
    const record = CHALLENGE_ID.test(id) ? await this.store.get(id) : undefined;
    if (record) await this.refuseLocked(record.client);
    const started = record && (await this.store.start(id, Date.now()));
    if (!started) {
      throw new ServiceError(404, 'challenge_unavailable', 'no such challenge, or it expired or already ran');
    }
    return started;
  }

  /** Signs the result of a finished run and counts a failure toward the lockout. */
  async finish(record: ChallengeRecord, result: ChallengeResult): Promise<string> {
    const jti = randomUUID();
    if (!(await this.store.finish(record.id, { resultJti: jti, passed: result.passed }))) {
      throw new ServiceError(409, 'challenge_unavailable', 'the challenge is no longer running');
    }
    if (!result.passed) await this.store.fail(record.client, this.settings.lockout);
    return this.signer.sign(
      {
        cid: record.id,
        passed: result.passed,
        steps: result.steps.map((s) => ({ action: s.action, outcome: s.outcome })),
        reasons: result.reasons.map((r) => r.code),
      },
      {
        jti,
        subject: record.subject,
        audience: audienceOf(record.keyHash),
        ttlSeconds: this.settings.tokenTtlSeconds,
      },
    );
  }

  /**
   * A run that ended without a result (socket closed or idle, challenge expired): no token, and a failure
   * of the client, unless this process closed the socket because it is shutting down.
   */
  async abandon(record: ChallengeRecord, why: 'expired' | 'closed' | 'idle'): Promise<void> {
    const finished = await this.store.finish(record.id, { resultJti: '', passed: false });
    if (finished && !(why === 'closed' && this.closing))
      await this.store.fail(record.client, this.settings.lockout);
  }

  /**
   * Verifies a result token and redeems it: signature, type, issuer and expiry (jose), that it is
   * for `challengeId` (the one the caller issued) and the one token of that challenge, that the
   * caller is the client it was issued to (`keyHash`, the {@link hashApiKey} of the caller's key;
   * undefined without keys), and that it was not redeemed before (409 then). Every check comes
   * before the redeem: a refused caller cannot use up another client's token.
   */
  async redeem(token: string, challengeId: string, keyHash?: string): Promise<VerifiedResult> {
    let payload: ResultPayload;
    try {
      payload = await this.signer.verify(token);
    } catch (cause) {
      const expired = cause instanceof joseErrors.JWTExpired;
      throw new ServiceError(
        expired ? 410 : 400,
        expired ? 'token_expired' : 'token_invalid',
        expired ? 'the result token has expired' : 'the result token is not valid',
        { cause },
      );
    }
    if (payload.cid !== challengeId) {
      throw new ServiceError(400, 'token_mismatch', 'the result token is for another challenge');
    }
    const record = await this.store.get(payload.cid);
    if (!record || record.state !== 'finished' || record.resultJti !== payload.jti) {
      throw new ServiceError(400, 'token_invalid', 'the result token is not valid');
    }
    // Both must name the caller: the store's record of the issuing key and the signed `aud`
    // (which offline verifiers check too).
    if (record.keyHash !== keyHash || payload.aud !== audienceOf(keyHash)) {
      throw new ServiceError(403, 'token_wrong_client', 'the result token was issued to another client');
    }
    const ttlMs = Math.max(1000, payload.exp * 1000 - Date.now() + 60_000);
    if (!(await this.store.consume(payload.jti, ttlMs))) {
      throw new ServiceError(409, 'token_used', 'the result token was already redeemed');
    }
    return {
      valid: true,
      challengeId: payload.cid,
      passed: payload.passed,
      ...(payload.sub ? { subject: payload.sub } : {}),
      steps: payload.steps,
      reasons: payload.reasons,
      issuedAt: new Date((payload.iat ?? 0) * 1000).toISOString(),
    };
  }
}
