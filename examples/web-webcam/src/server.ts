import { fileURLToPath } from 'node:url';
import { createLivenessPipeline, type LivenessPipelineOptions } from '@face-liveness/pipeline';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { WebSocketServer } from 'ws';
import { serveSession } from './session.js';

/** Options of {@link buildServer}. */
export interface WebcamServerOptions {
  /** Pipeline options (models, fusion policy...). */
  pipeline?: LivenessPipelineOptions;
  /** Pages streaming at once; more are refused (WebSocket close code 1013, try again later). Default 4. */
  maxSessions?: number;
  /** Fastify's logger option (pino). Default `{ level: 'info' }`. */
  logger?: FastifyServerOptions['logger'];
}

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
/** Largest frame message: a 1280x720 JPEG is far below. */
const MAX_FRAME_BYTES = 2 << 20;

/**
 * Serves the page (`public/`) and the WebSocket `/ws` that runs each page's frames through its own
 * pipeline. The models are loaded once, before this resolves; `app.close()` releases them.
 */
export async function buildServer(options: WebcamServerOptions = {}): Promise<FastifyInstance> {
  const maxSessions = options.maxSessions ?? 4;
  const shared = await createLivenessPipeline(options.pipeline);
  const app = Fastify({ logger: options.logger ?? { level: 'info' } });
  await app.register(fastifyStatic, { root: PUBLIC_DIR });

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
      serveSession(ws, shared, options.pipeline ?? {}, log);
    });
  });
  app.addHook('onClose', async () => {
    for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    wss.close();
    await shared.close();
  });
  return app;
}
