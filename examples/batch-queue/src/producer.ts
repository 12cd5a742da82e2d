import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type LivenessJobData, QUEUE_NAME, redisConnection } from './config.js';

/** Retries of a job that failed for a reason that may pass (network, a worker killed mid-job). */
export const ATTEMPTS = 3;

/**
 * Adds one job per source. The job id is a hash of the source, so enqueueing the same file twice
 * while its job is kept does not check it twice.
 */
export async function enqueue(connection: Redis, sources: string[]): Promise<Job<LivenessJobData>[]> {
  const queue = new Queue<LivenessJobData>(QUEUE_NAME, { connection });
  try {
    return await queue.addBulk(
      sources.map((raw) => {
        const source = /^https?:\/\//.test(raw) ? raw : resolve(raw);
        return {
          name: 'check',
          data: { source },
          opts: {
            jobId: createHash('sha1').update(source).digest('hex'),
            attempts: ATTEMPTS,
            backoff: { type: 'exponential', delay: 1000 },
            // Keep verdicts and failures for a week, at most 100000 of each.
            removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
            removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
          },
        };
      }),
    );
  } finally {
    await queue.close();
  }
}

// Usage: node dist/producer.js FILE_OR_URL...
if (import.meta.url === `file://${process.argv[1]}`) {
  const sources = process.argv.slice(2);
  if (sources.length === 0) {
    console.error('usage: node dist/producer.js FILE_OR_URL...');
    process.exit(2);
  }
  const connection = redisConnection();
  const jobs = await enqueue(connection, sources);
  for (const job of jobs) console.log(`${job.id}\t${job.data.source}`);
  await connection.quit();
}
