// A worker process: loads the models once (one engine), then checks jobs one at a time, each video
// in a session of its own (the work is CPU-bound: run one worker per core, on as many machines as
// needed, all pointing at the same REDIS_URL).
// SIGTERM/SIGINT: the running job finishes, then the worker leaves.
import { createLivenessEngine } from '@face-liveness/pipeline';
import { Worker } from 'bullmq';
import pino from 'pino';
import { checkSource, type JobVerdict } from './check.js';
import { type LivenessJobData, QUEUE_NAME, redisConnection, VERDICTS_KEY } from './config.js';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const connection = redisConnection();
const engine = await createLivenessEngine();

const worker = new Worker<LivenessJobData, JobVerdict>(
  QUEUE_NAME,
  async (job) => {
    const verdict = await checkSource(engine, job.data.source, (percent) => job.updateProgress(percent));
    await connection.hset(VERDICTS_KEY, job.data.source, JSON.stringify(verdict));
    return verdict;
  },
  { connection, concurrency: 1 },
);
worker.on('completed', (job, verdict) =>
  log.info(
    { job: job.id, source: job.data.source, verdict: verdict.verdict, ms: verdict.elapsedMs },
    'checked',
  ),
);
worker.on('failed', (job, error) =>
  log.warn(
    { job: job?.id, source: job?.data.source, attempt: job?.attemptsMade, err: error.message },
    'job failed',
  ),
);
worker.on('error', (error) => log.error({ err: error }, 'worker error'));
await worker.waitUntilReady();
log.info({ queue: QUEUE_NAME, pid: process.pid }, 'worker ready');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    log.info({ signal }, 'finishing the running job, then leaving');
    await worker.close();
    await engine.close();
    await connection.quit();
    log.info('worker closed');
    process.exit(0);
  });
}
