// A worker process: loads the models once (one engine), then checks jobs one at a time, each video
// in a session of its own (the work is CPU-bound: run one worker per core, on as many machines as
// needed, all pointing at the same REDIS_URL).
// SIGTERM/SIGINT: the running job is stopped and put back in the queue for another worker, and
// the process leaves within SHUTDOWN_DEADLINE_MS.
import { createLivenessEngine } from '@face-liveness/pipeline';
import { WaitingError, Worker } from 'bullmq';
import pino from 'pino';
import { checkSource, type JobVerdict } from './check.js';
import {
  ConfigError,
  downloadSettings,
  type LivenessJobData,
  QUEUE_NAME,
  redisConnection,
  VERDICTS_KEY,
} from './config.js';

/** Time a worker has to leave after SIGTERM; orchestrators usually kill at 10 s or later. */
const SHUTDOWN_DEADLINE_MS = 8000;

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
let settings: ReturnType<typeof downloadSettings>;
try {
  settings = downloadSettings(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`invalid configuration: ${error.message}`);
  process.exit(2);
}
const connection = redisConnection();
const engine = await createLivenessEngine();
let running: AbortController | undefined;

const worker = new Worker<LivenessJobData, JobVerdict>(
  QUEUE_NAME,
  async (job, token) => {
    running = new AbortController();
    const { signal } = running;
    log.info({ job: job.id, source: job.data.source, pid: process.pid }, 'checking');
    try {
      const verdict = await checkSource(engine, job.data.source, (percent) => job.updateProgress(percent), {
        ...settings,
        signal,
      });
      await connection.hset(VERDICTS_KEY, job.data.source, JSON.stringify(verdict));
      return verdict;
    } catch (error) {
      if (!signal.aborted) throw error;
      // Stopped by the shutdown, not by the job: back to the queue, no attempt used.
      await job.moveToWait(token);
      throw new WaitingError();
    } finally {
      running = undefined;
    }
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
    log.info({ signal }, 'stopping the running job, then leaving');
    setTimeout(() => {
      log.error('shutdown took too long; leaving anyway (the job will be retried as stalled)');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // Closing first: the worker takes no new job, not even the one it is about to put back.
    const closed = worker.close();
    running?.abort();
    await closed;
    await engine.close();
    await connection.quit();
    log.info('worker closed');
    process.exit(0);
  });
}
