import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createLivenessEngine,
  type LivenessEngineOptions,
  type SessionOptions,
} from '@face-liveness/pipeline';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { WebSocketServer } from 'ws';
import { serveSession } from './session.js';

/** Options of {@link buildServer}. */
export interface WebcamServerOptions {
  /** Which models the server's one engine loads. */
  engine?: LivenessEngineOptions;
  /** Options of each page's session: fusion policy, threshold, detection cadence... */
  session?: SessionOptions;
  /** Pages streaming at once; more are refused (WebSocket close code 1013, try again later). Default 4. */
  maxSessions?: number;
  /** Fastify's logger option (pino). Default `{ level: 'info' }`. */
  logger?: FastifyServerOptions['logger'];
}

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
/** The browser files this page shares with the other examples' pages, served at `/lib/`. */
const LIB_DIR = dirname(
  createRequire(import.meta.url).resolve('@face-liveness/example-web-client/frame-sender.js'),
);
/** Largest frame message: a 1280x720 JPEG is far below. */
const MAX_FRAME_BYTES = 2 << 20;

/**
 * Serves the page (`public/`, and at `/lib/` the files it shares with the other examples' pages) and
 * the WebSocket `/ws` that runs each page's frames in a session of its own on one engine. The models
 * are loaded once, before this resolves; `app.close()` releases them.
 */
export async function buildServer(options: WebcamServerOptions = {}): Promise<FastifyInstance> {
  const maxSessions = options.maxSessions ?? 4;
  const engine = await createLivenessEngine(options.engine);
  const app = Fastify({ logger: options.logger ?? { level: 'info' } });
  await app.register(fastifyStatic, { root: PUBLIC_DIR });
  await app.register(fastifyStatic, { root: LIB_DIR, prefix: '/lib/', decorateReply: false });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  app.server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://host').pathname !== '/ws') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      // ws tracks its clients: this one is already counted.
      if (wss.clients.size > maxSessions) {
        ws.close(1013, `${maxSessions} sessions are running; try again later`);
        return;
      }
      const log = app.log.child({ session: request.headers['sec-websocket-key'] });
      log.info('session started');
      serveSession(ws, engine, options.session ?? {}, log);
    });
  });
  app.addHook('onClose', async () => {
    for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    wss.close();
    await engine.close();
  });
  return app;
}
