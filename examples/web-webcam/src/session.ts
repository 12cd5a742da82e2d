import { readImage } from '@face-liveness/core';
import type { FrameResult, LivenessEngine, SessionOptions } from '@face-liveness/pipeline';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';

/** One face as the page draws it. */
export interface FaceMessage {
  id: number;
  box: [number, number, number, number];
  verdict: string;
  reason: string;
  /** Smoothed P(live), as the overlay shows it. */
  score: number | null;
  blinks: number;
  ear: number | null;
  /** The 68 landmarks, rounded to pixels, flattened [x0, y0, x1, y1, ...]. */
  landmarks: number[];
}

/** Messages the server sends; the page sends binary frames and `{ "type": "reset" }`. */
export type ServerMessage =
  | { type: 'ready'; policy: string; threshold: number }
  | { type: 'result'; index: number; width: number; height: number; elapsedMs: number; faces: FaceMessage[] }
  | { type: 'error'; message: string };

/** Frame messages: 8 bytes of capture time (float64 little-endian, ms) then a JPEG or PNG. */
export const HEADER_BYTES = 8;

function toMessage(result: FrameResult): ServerMessage {
  return {
    type: 'result',
    index: result.index,
    width: result.width,
    height: result.height,
    elapsedMs: Math.round(result.elapsedMs),
    faces: result.faces.map((f) => ({
      id: f.trackId,
      box: f.box.map(Math.round) as FaceMessage['box'],
      verdict: f.verdict,
      reason: f.reason,
      score: Number.isNaN(f.evidence.emaScore) ? null : f.evidence.emaScore,
      blinks: f.evidence.blinks,
      ear: f.ear ?? null,
      landmarks: (f.landmarks ?? []).flatMap(([x, y]) => [Math.round(x), Math.round(y)]),
    })),
  };
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * One page's stream: a session of its own (own face tracks and blink counters) on the server's
 * engine. The page sends a frame, waits for its result, then sends the next: frames never pile up,
 * and the frame rate follows what the server can do.
 */
export function serveSession(
  socket: WebSocket,
  engine: LivenessEngine,
  options: SessionOptions,
  log: FastifyBaseLogger,
): void {
  let session = engine.createSession(options);
  const send = (message: ServerMessage) => socket.send(JSON.stringify(message));
  let busy = false;
  let firstMs: number | undefined;
  let dropped = 0;
  const { policy, threshold } = session.options.fusion;
  send({ type: 'ready', policy, threshold });

  // ws reports a message over maxPayload (and other protocol faults) as an 'error' event, then
  // closes the socket (1009): unheard, that event would end the whole process.
  socket.on('error', (error) => log.warn({ err: error }, 'socket error'));
  socket.on('message', async (data, isBinary) => {
    if (!isBinary) {
      const text = String(data);
      if (text === '{"type":"reset"}') {
        // A new stream starts with no tracks and no evidence: a new session, the old one closed.
        const ended = session;
        session = engine.createSession(options);
        firstMs = undefined;
        await ended.close();
      } else send({ type: 'error', message: `unknown message ${text.slice(0, 80)}` });
      return;
    }
    if (busy) {
      dropped++;
      return;
    }
    busy = true;
    try {
      const bytes = asBuffer(data);
      if (bytes.length <= HEADER_BYTES) throw new Error('a frame message is 8 bytes of time then an image');
      const capturedMs = bytes.readDoubleLE(0);
      firstMs ??= capturedMs;
      const frame = await readImage(bytes.subarray(HEADER_BYTES));
      const result = await session.push(frame, capturedMs - firstMs);
      if (socket.readyState === socket.OPEN) send(toMessage(result));
    } catch (error) {
      log.warn({ err: error }, 'frame refused');
      if (socket.readyState === socket.OPEN) send({ type: 'error', message: (error as Error).message });
    } finally {
      busy = false;
    }
  });
  socket.on('close', async () => {
    const tracks = session.tracks();
    log.info(
      {
        tracks: tracks.map((t) => ({ id: t.id, verdict: t.verdict, blinks: t.blinks, frames: t.frames })),
        dropped,
      },
      'session ended',
    );
    await session.close();
  });
}
