import { readImage } from '@face-liveness/core';
import type { ChallengeSession, LivenessEngine } from '@face-liveness/pipeline';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { ServiceError } from '../errors.js';
import { AuditTrail } from './audit.js';
import { FrameClock } from './clock.js';
import { CLOSE, clientProgress, clientResult, parseFrame, type ServerMessage } from './protocol.js';
import type { ChallengeService } from './service.js';

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

const CLOSE_OF_STATUS: Record<number, number> = { 404: CLOSE.notAvailable, 429: CLOSE.lockedOut };

/**
 * Runs one challenge over one socket: claims it in the store (so no other socket, on any process,
 * can run it), feeds the frames to a challenge session, reports progress, and on the end signs the
 * result. A socket that closes, stays idle, or a challenge that expires before the end is a
 * failure, without a token. The caller has taken a running slot ({@link ChallengeService.reserve}):
 * this releases it when the run ends or is refused.
 */
export async function serveChallenge(
  socket: WebSocket,
  id: string,
  engine: LivenessEngine,
  service: ChallengeService,
  log: FastifyBaseLogger,
): Promise<void> {
  const send = (message: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const { settings } = service;
  // Wall-clock deadline of the client's next frame: the first within firstFrameMs of the
  // opening, then within idleMs of the previous (or of the answer to it).
  let deadline = Date.now() + settings.firstFrameMs;
  // The last frame sent before the claim below resolves waits here (only the last: a client
  // cannot fill memory while the store answers).
  let early: { data: RawData; at: number } | undefined;
  const buffer = (data: RawData, isBinary: boolean) => {
    if (!isBinary) return;
    early = { data, at: performance.now() };
    deadline = Date.now() + settings.idleMs;
  };
  socket.on('message', buffer);

  let record: Awaited<ReturnType<ChallengeService['start']>>;
  try {
    record = await service.start(id);
  } catch (error) {
    service.release();
    socket.off('message', buffer);
    const refusal = error instanceof ServiceError ? error : undefined;
    if (!refusal) log.error({ err: error }, 'challenge start failed');
    const seconds = refusal?.retryAfterSeconds;
    socket.close(
      CLOSE_OF_STATUS[refusal?.statusCode ?? 0] ?? CLOSE.busy,
      seconds ? `locked out; retry in ${seconds} s` : (refusal?.message ?? 'try again later').slice(0, 120),
    );
    return;
  }
  const challengeLog = log.child({ challenge: id });
  challengeLog.info({ steps: record.steps }, 'challenge started');
  const session: ChallengeSession = engine.createChallenge({
    steps: record.steps,
    ...(settings.stepTimeoutMs ? { stepTimeoutMs: settings.stepTimeoutMs } : {}),
  });
  const audit = settings.audit && new AuditTrail(settings.audit, id);
  let finished = false;
  let busy = false;
  let dropped = 0;
  let frames = 0;
  const clock = new FrameClock();

  const end = async (why: 'result' | 'expired' | 'closed' | 'idle') => {
    if (finished) return;
    finished = true;
    clearTimeout(expiry);
    clearTimeout(idle);
    service.release();
    try {
      if (why === 'result') {
        const result = session.result();
        const token = await service.finish(record, result);
        send({ type: 'result', result: clientResult(result), token });
        challengeLog.info(
          {
            passed: result.passed,
            reasons: result.reasons.map((r) => r.code),
            passive: result.passive,
            frames,
            dropped,
          },
          'challenge finished',
        );
      } else {
        await service.abandon(record, why);
        if (why === 'idle') {
          send({ type: 'error', error: 'challenge_idle', message: 'no frame came in time' });
        } else {
          send({
            type: 'error',
            error: 'challenge_expired',
            message: 'the challenge expired before its end',
          });
        }
        challengeLog.info({ why, frames, dropped }, 'challenge abandoned');
      }
    } catch (error) {
      challengeLog.error({ err: error }, 'challenge end failed');
      send({ type: 'error', error: 'internal', message: 'the challenge could not be completed' });
    }
    try {
      // After the answer: the client does not wait for the disk.
      if (socket.readyState === socket.OPEN) socket.close(why === 'idle' ? CLOSE.idle : 1000, why);
      if (audit) challengeLog.info({ files: await audit.save(engine) }, 'audit frames kept');
    } catch (error) {
      // A full or unwritable disk loses the trail, not the result already given.
      challengeLog.error({ err: error }, 'audit frames not kept');
    } finally {
      await session.close();
    }
  };
  // The store's expiry is wall time: client timestamps cannot stretch it.
  const expiry = setTimeout(() => service.track(end('expired')), Math.max(0, record.expiresAt - Date.now()));
  // An idle or slow client would otherwise hold its slot until expiresAt. The server's own time on
  // a frame is not the client's: while one is analysed, the check waits.
  const watchIdle = () => {
    if (finished) return;
    const left = deadline - Date.now();
    if (busy || left > 0) {
      idle = setTimeout(watchIdle, busy ? settings.idleMs : left);
      return;
    }
    service.track(end('idle'));
  };
  let idle = setTimeout(watchIdle, Math.max(0, deadline - Date.now()));

  // `arrivedAt`: performance.now() when the message came, the server's time of the frame.
  const onFrame = async (data: RawData, arrivedAt: number) => {
    if (finished) return;
    if (busy) {
      dropped++;
      return;
    }
    busy = true;
    try {
      const { image, capturedMs } = parseFrame(asBuffer(data));
      const frame = await readImage(image, { maxPixels: settings.maxPixels }).catch(() => {
        throw new ServiceError(
          400,
          'bad_frame',
          `a frame message is a JPEG or PNG of at most ${settings.maxPixels} pixels, optionally after 8 bytes of time`,
        );
      });
      const timestampMs = clock.stamp(arrivedAt, capturedMs);
      const progress = await session.push(frame, timestampMs);
      frames++;
      // The audit trail keeps the whole progress; the client gets only the steps asked so far.
      audit?.add(image, progress);
      if (finished) return;
      send({ type: 'progress', ...clientProgress(progress) });
      if (progress.status === 'passed' || progress.status === 'failed') {
        const ending = end('result');
        service.track(ending);
        await ending;
      }
    } catch (error) {
      const refusal = error instanceof ServiceError ? error : undefined;
      if (!refusal) challengeLog.warn({ err: error }, 'frame failed');
      send({
        type: 'error',
        error: refusal?.code ?? 'frame_failed',
        message: refusal?.message ?? 'the frame could not be analysed',
      });
    } finally {
      busy = false;
      // The client sends its next frame on this answer: its time starts now.
      deadline = Date.now() + settings.idleMs;
    }
  };

  socket.off('message', buffer);
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      deadline = Date.now() + settings.idleMs;
      void onFrame(data, performance.now());
    } else send({ type: 'error', error: 'bad_message', message: 'send frames as binary messages' });
  });
  socket.on('close', () => service.track(end('closed')));
  // The count only: each action is told when its step is asked (see clientProgress).
  send({
    type: 'ready',
    id,
    stepCount: record.steps.length,
    expiresAt: new Date(record.expiresAt).toISOString(),
  });
  // Closed while the claim was under way: no close event is coming.
  if (socket.readyState !== socket.OPEN) service.track(end('closed'));
  if (early) void onFrame(early.data, early.at);
}
