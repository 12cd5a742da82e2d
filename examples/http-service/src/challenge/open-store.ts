import { MemoryChallengeStore } from './memory-store.js';
import { RedisChallengeStore } from './redis-store.js';
import type { ChallengeStore } from './store.js';

/** Redis when a URL is given (checked reachable now, so a bad URL stops the start), else memory. */
export async function openStore(
  redisUrl: string | undefined,
  onError: (error: Error) => void,
): Promise<ChallengeStore> {
  if (!redisUrl) return new MemoryChallengeStore();
  const store = new RedisChallengeStore(redisUrl, onError);
  try {
    await store.ready();
  } catch (error) {
    await store.close();
    throw new Error(`Redis (REDIS_URL) cannot be reached: ${(error as Error).message}`, { cause: error });
  }
  return store;
}
