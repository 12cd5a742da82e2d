import { CHALLENGE_ACTIONS, type ChallengeAction } from '@face-liveness/pipeline';
import { z } from 'zod';
import type { ServiceOptions } from './server.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number, fallback: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { error })
    .transform(Number)
    .pipe(z.number().min(min, { error }).max(max, { error }))
    .default(fallback);
};

/** A yes/no switch: 1/true or 0/false. */
const flag = z
  .enum(['0', '1', 'true', 'false'], { error: 'must be 1, true, 0 or false' })
  .transform((v) => v === '1' || v === 'true')
  .default(false);

/** A comma-separated list; an empty variable is an empty list. */
const list = (check: z.ZodType<string, string>) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(check))
    .default([]);

const Env = z
  .object({
    PORT: int(0, 65_535, 3000),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    CONCURRENCY: int(1, 64, 2),
    MAX_QUEUE: int(0, 10_000, 16),
    MAX_BYTES: int(1024, 1_000_000_000, 20_000_000),
    MAX_FRAMES: int(1, 100_000, 300),
    MAX_DURATION_MS: int(100, 3_600_000, 15_000),
    MAX_PIXELS: int(10_000, 500_000_000, 16_000_000),
    HEADERS_TIMEOUT_MS: int(1000, 600_000, 10_000),
    REQUEST_TIMEOUT_MS: int(1000, 600_000, 30_000),
    // Keys are secrets sent on every request: short ones can be guessed.
    API_KEYS: list(z.string().min(16, { error: 'each key must have at least 16 characters' })),
    RATE_LIMIT_MAX: int(1, 1_000_000, 60),
    RATE_LIMIT_WINDOW_MS: int(1000, 86_400_000, 60_000),
    CORS_ORIGINS: list(
      z.url({ error: 'each origin must be a URL such as https://app.example.org', protocol: /^https?$/ }),
    ),
    TRUST_PROXY: list(
      z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
        error: 'must list IP addresses or CIDR ranges',
      }),
    ),
    // Active liveness (README, "Active liveness"). The signing key is a secret: never echoed.
    CHALLENGE_SIGNING_KEY: z.string().trim().min(1).optional(),
    CHALLENGE_ISSUER: z.string().trim().min(1).default('face-liveness'),
    CHALLENGE_STEPS: int(2, 4, 3),
    CHALLENGE_ACTIONS: list(
      z.enum(CHALLENGE_ACTIONS as readonly [ChallengeAction, ...ChallengeAction[]], {
        error: `must list actions among ${CHALLENGE_ACTIONS.join(', ')}`,
      }),
    ),
    CHALLENGE_TTL_MS: int(5_000, 600_000, 60_000),
    CHALLENGE_STEP_TIMEOUT_MS: int(1000, 120_000, 0).optional(),
    CHALLENGE_MAX_RUNNING: int(1, 256, 4),
    // An idle socket holds a running slot: it is closed (4408, a failure) past these.
    CHALLENGE_FIRST_FRAME_MS: int(500, 60_000, 5000),
    CHALLENGE_IDLE_MS: int(500, 60_000, 3000),
    CHALLENGE_MAX_PIXELS: int(10_000, 50_000_000, 4_000_000),
    CHALLENGE_ALLOW_FIXED_STEPS: flag,
    RESULT_TOKEN_TTL_S: int(10, 3600, 120),
    LOCKOUT_MAX_FAILURES: int(1, 1000, 5),
    LOCKOUT_WINDOW_MS: int(1000, 86_400_000, 900_000),
    LOCKOUT_MS: int(1000, 86_400_000, 900_000),
    REDIS_URL: z
      .url({ error: 'must be a URL such as redis://127.0.0.1:6379', protocol: /^rediss?$/ })
      .optional(),
    AUDIT_DIR: z.string().trim().min(1).optional(),
    AUDIT_FRAMES: int(0, 20, 4),
    // Which classifier(s) judge faces passively; empty: the engine's default.
    CLASSIFIER: list(z.string().min(1)),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  })
  .refine((env) => env.HEADERS_TIMEOUT_MS <= env.REQUEST_TIMEOUT_MS, {
    error: 'must not exceed REQUEST_TIMEOUT_MS',
    path: ['HEADERS_TIMEOUT_MS'],
  })
  // No action may come twice in a row: one action alone cannot fill a challenge.
  // Fewer than three actions would give predictable orders (the pipeline refuses to draw from them).
  .refine((env) => env.CHALLENGE_ACTIONS.length === 0 || new Set(env.CHALLENGE_ACTIONS).size >= 3, {
    error: 'must list at least three different actions (or none: all)',
    path: ['CHALLENGE_ACTIONS'],
  })
  // Several processes on one Redis must share one key: a token signed by one is redeemed on another.
  .refine((env) => !env.REDIS_URL || env.CHALLENGE_SIGNING_KEY, {
    error: 'is required with REDIS_URL (every process must sign with the same key)',
    path: ['CHALLENGE_SIGNING_KEY'],
  });

const SECRETS = new Set(['API_KEYS', 'CHALLENGE_SIGNING_KEY', 'REDIS_URL']);

/** A refused configuration: one line per bad variable. */
export class ConfigError extends Error {}

/** The service's settings from environment variables, each checked; throws a {@link ConfigError} naming every bad one. */
export function loadConfig(env: NodeJS.ProcessEnv): { port: number; host: string; service: ServiceOptions } {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      // Keys are secrets: the message names the variable, never its value.
      const value = SECRETS.has(name) ? '' : `=${JSON.stringify(env[name] ?? '')}`;
      return `  ${name}${value}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    service: {
      maxBytes: e.MAX_BYTES,
      concurrency: e.CONCURRENCY,
      maxQueue: e.MAX_QUEUE,
      limits: { maxFrames: e.MAX_FRAMES, maxDurationMs: e.MAX_DURATION_MS, maxPixels: e.MAX_PIXELS },
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      apiKeys: e.API_KEYS,
      rateLimit: { max: e.RATE_LIMIT_MAX, windowMs: e.RATE_LIMIT_WINDOW_MS },
      corsOrigins: e.CORS_ORIGINS,
      trustProxy: e.TRUST_PROXY,
      logger: { level: e.LOG_LEVEL },
      ...(e.CLASSIFIER.length ? { engine: { classifierModel: e.CLASSIFIER } } : {}),
      challenges: {
        signingKey: e.CHALLENGE_SIGNING_KEY,
        issuer: e.CHALLENGE_ISSUER,
        redisUrl: e.REDIS_URL,
        count: e.CHALLENGE_STEPS,
        actions: e.CHALLENGE_ACTIONS.length ? (e.CHALLENGE_ACTIONS as ChallengeAction[]) : undefined,
        ttlMs: e.CHALLENGE_TTL_MS,
        stepTimeoutMs: e.CHALLENGE_STEP_TIMEOUT_MS,
        maxRunning: e.CHALLENGE_MAX_RUNNING,
        firstFrameMs: e.CHALLENGE_FIRST_FRAME_MS,
        idleMs: e.CHALLENGE_IDLE_MS,
        maxPixels: e.CHALLENGE_MAX_PIXELS,
        allowFixedSteps: e.CHALLENGE_ALLOW_FIXED_STEPS,
        tokenTtlSeconds: e.RESULT_TOKEN_TTL_S,
        lockout: { maxFailures: e.LOCKOUT_MAX_FAILURES, windowMs: e.LOCKOUT_WINDOW_MS, lockMs: e.LOCKOUT_MS },
        audit: e.AUDIT_DIR ? { dir: e.AUDIT_DIR, frames: e.AUDIT_FRAMES } : undefined,
      },
    },
  };
}
