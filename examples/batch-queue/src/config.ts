import { Redis } from 'ioredis';

/** The BullMQ queue every producer and worker shares. */
export const QUEUE_NAME = 'liveness';
/** Redis hash of the verdicts by source, for lookups without BullMQ (`HGET liveness:verdicts SOURCE`). */
export const VERDICTS_KEY = 'liveness:verdicts';

/** What a job asks for: a file path (seen by the workers) or an http(s) URL. */
export interface LivenessJobData {
  source: string;
}

/** A Redis connection from REDIS_URL (default redis://127.0.0.1:6379), as BullMQ needs it. */
export function redisConnection(url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Redis {
  // BullMQ's blocking commands must wait as long as they need: no per-request retry limit.
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** A refused setting, named with the value it had. */
export class ConfigError extends Error {}

function whole(env: NodeJS.ProcessEnv, name: string, min: number, max: number, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)}: must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A worker's download settings from its environment (see README); throws a {@link ConfigError}. */
export function downloadSettings(env: NodeJS.ProcessEnv) {
  const allow = (env.ALLOW_PRIVATE_URLS ?? 'false').trim().toLowerCase();
  if (!['true', 'false', '1', '0'].includes(allow)) {
    throw new ConfigError(`ALLOW_PRIVATE_URLS=${JSON.stringify(allow)}: must be true or false`);
  }
  return {
    maxBytes: whole(env, 'DOWNLOAD_MAX_BYTES', 1, 10_000_000_000, 200_000_000),
    connectTimeoutMs: whole(env, 'DOWNLOAD_CONNECT_TIMEOUT_MS', 100, 600_000, 10_000),
    timeoutMs: whole(env, 'DOWNLOAD_TIMEOUT_MS', 1000, 3_600_000, 120_000),
    allowPrivate: allow === 'true' || allow === '1',
  };
}
