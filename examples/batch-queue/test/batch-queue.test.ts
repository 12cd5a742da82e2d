import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missing } from '@face-liveness/core/testing';
import {
  buildExample,
  cutVideo,
  exampleModelStore,
  FAKE_IMAGE,
  REAL_IMAGE,
  REAL_VIDEO,
  REDIS_SERVER,
  REPLAY_VIDEO,
  SEED_KERAS_MODEL,
  startRedis,
  waitForLine,
} from '@face-liveness/example-test-support';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobVerdict } from '../src/check.js';
import { QUEUE_NAME, redisConnection, VERDICTS_KEY } from '../src/config.js';
import { enqueue } from '../src/producer.js';

const absent = missing(SEED_KERAS_MODEL, REAL_IMAGE, FAKE_IMAGE, REAL_VIDEO, REPLAY_VIDEO, REDIS_SERVER);

describe.skipIf(absent)(`examples/batch-queue with a real Redis and two workers ${absent ?? ''}`, () => {
  let work: string;
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let redisUrl: string;
  let connection: Redis;
  let files: Server;
  let filesUrl: string;
  let flakyHits = 0;
  let hangHits = 0;
  let hanging: () => void;
  const hangSeen = new Promise<void>((resolve) => {
    hanging = resolve;
  });
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    const [dir, home] = await Promise.all([buildExample('batch-queue'), exampleModelStore()]);
    work = await mkdtemp(join(tmpdir(), 'example-batch-'));
    redis = await startRedis(work);
    redisUrl = redis.url;
    connection = redisConnection(redisUrl);

    // A file server on loopback for the URL jobs; /flaky/ fails once with 503 before answering,
    // /hang/ never answers the first time.
    files = createServer((req, res) => {
      if (req.url?.startsWith('/hang/') && hangHits++ === 0) {
        hanging();
        return;
      }
      if (req.url?.startsWith('/flaky/') && flakyHits++ === 0) {
        res.writeHead(503).end();
        return;
      }
      if (req.url?.endsWith('/missing.mp4')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'video/mp4' });
      createReadStream(join(work, 'replay.mp4')).pipe(res);
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}`;

    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, [join(dir, 'dist/worker.js')], {
        // The file server is on loopback, which the URL policy refuses unless told otherwise.
        env: { ...process.env, REDIS_URL: redisUrl, FACE_LIVENESS_HOME: home, ALLOW_PRIVATE_URLS: 'true' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      workers.push(child);
    }
    await Promise.all(workers.map((w) => waitForLine(w, /worker ready/)));
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await connection?.quit();
    files?.closeAllConnections();
    files?.close();
    await redis?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('checks every job once, retries transient failures, lists the bad ones as failed', async () => {
    const [realClip, replayClip] = await Promise.all([
      cutVideo(REAL_VIDEO, 1.5, join(work, 'real.mp4')),
      cutVideo(REPLAY_VIDEO, 1.5, join(work, 'replay.mp4')),
    ]);
    const corrupt = join(work, 'corrupt.mp4');
    await writeFile(corrupt, 'not a video at all');
    const good = [REAL_IMAGE, FAKE_IMAGE, realClip, replayClip, `${filesUrl}/flaky/replay.mp4`];
    const bad = [corrupt, join(work, 'absent.mp4'), `${filesUrl}/missing.mp4`];

    const events = new QueueEvents(QUEUE_NAME, { connection: redisConnection(redisUrl) });
    await events.waitUntilReady();
    const jobs = await enqueue(connection, [...good, ...bad]);
    expect(jobs).toHaveLength(8);
    // The same source again: same job id, nothing added.
    const again = await enqueue(connection, [REAL_IMAGE]);
    expect(again[0].id).toBe(jobs[0].id);

    const settled = await Promise.all(
      jobs.map((job) =>
        job.waitUntilFinished(events, 90_000).then(
          (value: JobVerdict) => value,
          (error: Error) => error,
        ),
      ),
    );
    await events.close();

    const verdicts = settled.slice(0, good.length) as JobVerdict[];
    for (const [i, verdict] of verdicts.entries()) {
      expect(verdict).toMatchObject({ source: good[i], frames: expect.any(Number) });
      expect(['live', 'spoof', 'undecided']).toContain(verdict.verdict);
      expect(verdict.faces.length).toBeGreaterThanOrEqual(1);
      // Stored by source too.
      expect(JSON.parse((await connection.hget(VERDICTS_KEY, good[i])) ?? '{}').verdict).toBe(
        verdict.verdict,
      );
    }
    expect(verdicts[0].frames).toBe(1);
    expect(verdicts[2].frames).toBeGreaterThanOrEqual(40);
    // Both worker processes took jobs.
    expect(new Set(verdicts.map((v) => v.worker)).size).toBe(2);

    const queue = new Queue(QUEUE_NAME, { connection });
    const flaky = await queue.getJob(jobs[4].id as string);
    expect(flaky?.attemptsMade).toBe(2);
    expect(flaky?.progress).toBe(100);
    const failed = await queue.getFailed();
    expect(failed.map((j) => j.data.source).sort()).toEqual([...bad].sort());
    for (const job of failed) expect(job.attemptsMade).toBe(1);
    expect(failed.find((j) => j.data.source === corrupt)?.failedReason).toMatch(/corrupt\.mp4/);
    expect(failed.find((j) => j.data.source.endsWith('/missing.mp4'))?.failedReason).toMatch(/404/);
    await queue.close();
  });

  it('SIGTERM mid-download: the worker leaves within 10 s and another worker takes the job', async () => {
    const events = new QueueEvents(QUEUE_NAME, { connection: redisConnection(redisUrl) });
    await events.waitUntilReady();
    const source = `${filesUrl}/hang/replay.mp4`;
    const taken = Promise.race(workers.map((w) => waitForLine(w, /"msg":"checking"/).then(() => w)));
    const [job] = await enqueue(connection, [source]);
    const holder = await taken;
    await hangSeen;
    const started = performance.now();
    const exited = new Promise<number | null>((resolve) => holder.once('exit', resolve));
    holder.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
    const verdict: JobVerdict = await job.waitUntilFinished(events, 90_000);
    await events.close();
    expect(verdict.worker).not.toBe(String(holder.pid));
    expect(verdict.source).toBe(source);

    // The other worker stops gracefully too, with nothing running.
    const other = workers.find((w) => w !== holder) as ChildProcess;
    const otherExit = new Promise<number | null>((resolve) => other.once('exit', resolve));
    other.kill('SIGTERM');
    expect(await otherExit).toBe(0);
    expect(existsSync(join(work, 'dump.rdb'))).toBe(false);
  });
});
