// The challenge socket's own rules, without models: a fake engine whose session records what it
// is given, a memory store whose claim takes a Redis round trip's time.
import { createFrame, encodeImage } from '@face-liveness/core';
import type {
  ChallengeAction,
  ChallengeProgress,
  ChallengeStepResult,
  LivenessEngine,
} from '@face-liveness/pipeline';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameClock, MAX_LAG_MS } from '../src/challenge/clock.js';
import { MemoryChallengeStore } from '../src/challenge/memory-store.js';
import { clientProgress } from '../src/challenge/protocol.js';
import { registerChallengePublic } from '../src/challenge/routes.js';
import {
  ChallengeService,
  type ChallengeSettings,
  DEFAULT_CHALLENGE_SETTINGS,
  socketPath,
} from '../src/challenge/service.js';
import { ResultSigner } from '../src/challenge/signing.js';
import type { ChallengeRecord } from '../src/challenge/store.js';
import { ChallengeClient, frameMessage } from './challenge-fixtures.js';

describe('examples/http-service FrameClock', () => {
  it('follows the client within MAX_LAG_MS behind the server, never ahead, never backwards', () => {
    const clock = new FrameClock();
    expect(clock.stamp(1000, 50_000)).toBe(0);
    // On time, a little behind (jitter): the client's time.
    expect(clock.stamp(1100, 50_066)).toBe(66);
    // Ahead of the server: the server's.
    expect(clock.stamp(1200, 59_000)).toBe(200);
    // Frozen: the server's minus the lag, whatever the client says.
    expect(clock.stamp(11_000, 50_000)).toBe(10_000 - MAX_LAG_MS);
    // Going backwards (or a frame without a capture time) does not rewind it; a repeat moves
    // 1 ms on (the detectors refuse equal timestamps).
    expect(clock.stamp(11_100, 40_000)).toBe(10_000 - MAX_LAG_MS + 100);
    expect(clock.stamp(11_200)).toBe(10_200);
    expect(clock.stamp(11_300, 50_000)).toBe(10_201);
    expect(clock.stamp(11_300, 50_000)).toBe(10_202);
  });
});

describe('examples/http-service clientProgress', () => {
  const steps = (...outcomes: ChallengeStepResult['outcome'][]): ChallengeStepResult[] =>
    outcomes.map((outcome, i) => ({ action: (['blink', 'look-up', 'turn-left'] as const)[i], outcome }));
  const at = (status: ChallengeProgress['status'], stepIndex: number, s: ChallengeStepResult[]) =>
    clientProgress({ status, stepIndex, steps: s, feedback: [], reasons: [], timestampMs: 0 }).steps;
  const hidden = { outcome: 'not-reached' };

  it('names a step only once it is asked', () => {
    // Looking for the face: the first step is not asked yet either.
    expect(at('waiting-face', 0, steps('not-reached', 'not-reached', 'not-reached'))).toEqual([
      hidden,
      hidden,
      hidden,
    ]);
    expect(at('in-progress', 1, steps('done', 'pending', 'not-reached'))).toEqual([
      { action: 'blink', outcome: 'done' },
      { action: 'look-up', outcome: 'pending' },
      hidden,
    ]);
    expect(at('failed', 1, steps('done', 'failed', 'not-reached'))).toEqual([
      { action: 'blink', outcome: 'done' },
      { action: 'look-up', outcome: 'failed' },
      hidden,
    ]);
    expect(at('passed', 3, steps('done', 'done', 'done'))).toEqual(steps('done', 'done', 'done'));
    // Beyond the current index nothing is named, whatever its outcome says.
    expect(at('in-progress', 0, steps('pending', 'pending', 'done'))).toEqual([
      { action: 'blink', outcome: 'pending' },
      hidden,
      hidden,
    ]);
  });
});

/**
 * A session that records the timestamps it is given and never ends on its own: always at its
 * first step, pending.
 */
function fakeEngine(timestamps: number[]): LivenessEngine {
  const progress = (actions: readonly ChallengeAction[], timestampMs: number): ChallengeProgress => ({
    status: 'in-progress',
    stepIndex: 0,
    steps: actions.map((action, i) => ({ action, outcome: i === 0 ? 'pending' : 'not-reached' })),
    feedback: [],
    reasons: [],
    timestampMs,
  });
  return {
    createChallenge: ({ steps }: { steps: readonly ChallengeAction[] }) => ({
      push: async (_frame: unknown, timestampMs: number) => {
        timestamps.push(timestampMs);
        return progress(steps, timestampMs);
      },
      close: async () => {},
    }),
  } as unknown as LivenessEngine;
}

/** The memory store, with a claim as slow as a Redis round trip on a loaded network. */
class SlowStore extends MemoryChallengeStore {
  override async start(id: string, now: number): Promise<ChallengeRecord | undefined> {
    await new Promise((r) => setTimeout(r, 100));
    return super.start(id, now);
  }
}

describe('examples/http-service challenge socket limits', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function serve(settings: Partial<ChallengeSettings>, timestamps: number[] = []) {
    const store = new SlowStore();
    const signer = await ResultSigner.create(undefined, 'test');
    const service = new ChallengeService(store, signer, { ...DEFAULT_CHALLENGE_SETTINGS, ...settings });
    app = Fastify({ logger: false });
    registerChallengePublic(app, service, () => fakeEngine(timestamps));
    app.addHook('onClose', () => store.close());
    const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const issue = async () => socketPath((await service.issue({ client: 'c' })).id);
    return { service, url, issue };
  }

  it('never runs more than CHALLENGE_MAX_RUNNING sockets, even when they open at once', async () => {
    const { service, url, issue } = await serve({ maxRunning: 2, firstFrameMs: 60_000 });
    const sockets = await Promise.all(Array.from({ length: 6 }, issue));
    const clients = sockets.map((s) => new ChallengeClient(`${url}${s}`));
    await Promise.all(clients.map((c) => c.opened.catch(() => {})));
    // Each either runs (ready) or is refused with 4503; give the claims their round trips.
    await new Promise((r) => setTimeout(r, 500));
    const ready = clients.filter((c) => c.messages[0]?.type === 'ready');
    expect(ready).toHaveLength(2);
    expect(service.running).toBe(2);
    for (const c of clients.filter((c) => !ready.includes(c))) expect((await c.closed).code).toBe(4503);
    for (const c of ready) c.socket.close();
    await Promise.all(ready.map((c) => c.closed));
    for (let i = 0; i < 50 && service.running > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(service.running).toBe(0);
  });

  it('tells the number of steps when ready, and each action only when its step is asked', async () => {
    const { url, service } = await serve({ firstFrameMs: 5000 });
    const record = await service.issue({ client: 'c' });
    const jpeg = await encodeImage(createFrame(new Uint8Array(16 * 16 * 3).fill(128), 16, 16), 'jpeg');
    const client = new ChallengeClient(`${url}${socketPath(record.id)}`);
    expect(await client.next(1)).toEqual({
      type: 'ready',
      id: record.id,
      stepCount: 3,
      expiresAt: new Date(record.expiresAt).toISOString(),
    });
    client.socket.send(frameMessage(jpeg, 0));
    const progress = await client.next(2);
    expect(progress).toMatchObject({ type: 'progress', stepIndex: 0 });
    expect(progress?.steps).toEqual([
      { action: record.steps[0], outcome: 'pending' },
      { outcome: 'not-reached' },
      { outcome: 'not-reached' },
    ]);
    client.socket.close();
    await client.closed;
  });

  it('frees the slot of a refused claim', async () => {
    const { service, url } = await serve({ maxRunning: 1 });
    const unknown = new ChallengeClient(`${url}/v1/challenges/AAAAAAAAAAAAAAAAAAAAAA/socket`);
    expect((await unknown.closed).code).toBe(4404);
    expect(service.running).toBe(0);
  });

  it('closes a socket that sends no frame (4408), frees its slot and counts a failure', async () => {
    const lockout = { maxFailures: 1, windowMs: 60_000, lockMs: 60_000 };
    const { service, url, issue } = await serve({ maxRunning: 1, firstFrameMs: 600, idleMs: 600, lockout });
    const started = Date.now();
    const silent = new ChallengeClient(`${url}${await issue()}`);
    expect(await silent.next(1)).toMatchObject({ type: 'ready' });
    expect(await silent.closed).toMatchObject({ code: 4408 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(silent.messages.at(-1)).toMatchObject({ type: 'error', error: 'challenge_idle' });
    for (let i = 0; i < 50 && service.running > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(service.running).toBe(0);
    // Abandoned like a closed socket: a failure of its client (here the limit of 1).
    await expect(service.issue({ client: 'c' })).rejects.toMatchObject({ code: 'locked_out' });
  });

  it('closes a socket whose frames stop, and keeps only the last frame sent during the claim', async () => {
    const timestamps: number[] = [];
    const { url, issue } = await serve({ firstFrameMs: 5000, idleMs: 600 }, timestamps);
    const jpeg = await encodeImage(createFrame(new Uint8Array(16 * 16 * 3).fill(128), 16, 16), 'jpeg');
    const client = new ChallengeClient(`${url}${await issue()}`);
    await client.opened;
    // Sent while the store claims the run (100 ms): only the last one is analysed.
    for (let i = 0; i < 20; i++) client.socket.send(frameMessage(jpeg, i));
    expect(await client.next(1)).toMatchObject({ type: 'ready' });
    expect(await client.next(2)).toMatchObject({ type: 'progress' });
    await new Promise((r) => setTimeout(r, 100));
    expect(timestamps).toEqual([0]);
    expect(client.messages.filter((m) => m.type === 'progress')).toHaveLength(1);
    // A frozen clock: the time line still follows the server's, MAX_LAG_MS behind at most.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 300));
      client.socket.send(frameMessage(jpeg, 19));
      await client.next(3 + i);
    }
    expect(timestamps.at(-1)).toBeGreaterThanOrEqual(1500 - MAX_LAG_MS - 50);
    // Then nothing: closed after idleMs.
    expect(await client.closed).toMatchObject({ code: 4408 });
  });
});
