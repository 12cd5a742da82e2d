import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this was left by a process that died while holding it (work under it takes ms). */
const STALE_MS = 10_000;

/**
 * Runs `work` while holding `lockPath` (a file created exclusively), so that processes updating
 * the same file one after another each see the others' changes. Waits for a holder; breaks a lock
 * left by a crashed process after {@link STALE_MS}.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rm(lockPath, { force: true });
      else await sleep(delay);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}
