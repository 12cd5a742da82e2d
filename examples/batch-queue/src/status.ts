// Usage: node dist/status.js [--failed] [--retry-failed]
// Job counts by state; --failed lists failed jobs with their reason; --retry-failed re-queues them.
import { Queue } from 'bullmq';
import { type LivenessJobData, QUEUE_NAME, redisConnection } from './config.js';

const connection = redisConnection();
const queue = new Queue<LivenessJobData>(QUEUE_NAME, { connection });
try {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  console.log(
    Object.entries(counts)
      .map(([state, n]) => `${state} ${n}`)
      .join(', '),
  );
  if (process.argv.includes('--failed')) {
    for (const job of await queue.getFailed()) {
      console.log(`${job.id}\t${job.data.source}\t${job.attemptsMade} attempts\t${job.failedReason}`);
    }
  }
  if (process.argv.includes('--retry-failed')) {
    const failed = await queue.getFailed();
    await Promise.all(failed.map((job) => job.retry()));
    console.log(`re-queued ${failed.length} failed jobs`);
  }
} finally {
  await queue.close();
  await connection.quit();
}
