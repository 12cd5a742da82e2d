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
