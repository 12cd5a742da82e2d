import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CHALLENGE_ACTIONS, type ChallengeAction, type LivenessEngine } from '@face-liveness/pipeline';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { ServiceError } from '../errors.js';
import { CLOSE } from './protocol.js';
import { CHALLENGE_ID, type ChallengeService, hashApiKey, issuedAnswer } from './service.js';
import { serveChallenge } from './socket.js';

const IssueBody = z
  .object({
    /**
     * The app's id of the person: failures are counted per subject, and it is the token's `sub`.
     * Only with API keys: without them the browser would choose it (and escape the lockout by
     * changing it), so it is refused.
     */
    subject: z.string().min(1).max(200).optional(),
    steps: z
      .array(z.enum(CHALLENGE_ACTIONS as readonly [ChallengeAction, ...ChallengeAction[]]))
      .min(1)
      .max(6)
      .optional(),
    seed: z.string().min(1).max(100).optional(),
  })
  .strict();

// The challenge id is required: a token is only taken for the challenge the caller issued.
const VerifyBody = z
  .object({ token: z.string().min(1).max(10_000), challengeId: z.string().min(1).max(100) })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ');
    throw new ServiceError(400, 'bad_request', `invalid field(s): ${where}`);
  }
  return parsed.data;
}

/**
 * Whose failures a challenge counts toward: the API client (a hash of its key) when keys are
 * configured, else the caller's address; narrowed to the person when the app names one
 * (`subject`). Hashed, so that neither keys nor addresses are stored.
 */
export function clientKey(request: FastifyRequest, keyed: boolean, subject?: string): string {
  const auth = request.headers.authorization;
  const caller = keyed && auth ? `key:${auth}` : `ip:${request.ip}`;
  const who = subject ? `${caller}|sub:${subject}` : caller;
  return createHash('sha256').update(who).digest('base64url').slice(0, 32);
}

/** {@link hashApiKey} of the caller's key (authentication has already checked it), when keys are configured. */
function callerKeyHash(request: FastifyRequest, keyed: boolean): string | undefined {
  // As @fastify/bearer-auth reads it: the key is what follows "Bearer ".
  const key = request.headers.authorization?.slice('Bearer '.length);
  return keyed && key ? hashApiKey(key) : undefined;
}

/** The routes an API client calls (registered where authentication and rate limits apply). */
export function registerChallengeApi(api: FastifyInstance, service: ChallengeService, keyed: boolean): void {
  api.post('/v1/challenges', async (request, reply) => {
    const body = parse(IssueBody, request.body);
    if ((body.steps || body.seed) && !service.settings.allowFixedSteps) {
      throw new ServiceError(400, 'fixed_steps_refused', 'this service picks the steps itself');
    }
    if (body.subject !== undefined && !keyed) {
      throw new ServiceError(400, 'subject_refused', 'subject is accepted only from API clients (API_KEYS)');
    }
    // Issuing needs no model: the socket may reach another process, and one still loading answers 4503.
    const record = await service.issue({
      client: clientKey(request, keyed, body.subject),
      keyHash: callerKeyHash(request, keyed),
      subject: body.subject,
      steps: body.steps,
      seed: body.seed,
    });
    // The log keeps the steps; the answer only their count.
    request.log.info({ challenge: record.id, steps: record.steps }, 'challenge issued');
    return reply.code(201).send(issuedAnswer(record));
  });

  api.post('/v1/results/verify', async (request) => {
    const body = parse(VerifyBody, request.body);
    const verified = await service.redeem(body.token, body.challengeId, callerKeyHash(request, keyed));
    request.log.info({ challenge: verified.challengeId, passed: verified.passed }, 'result redeemed');
    return verified;
  });
}

const PUBLIC_DIR = new URL('../../public/', import.meta.url);
const page = (name: string) => fileURLToPath(new URL(name, PUBLIC_DIR));
// What the page shares with the other examples' pages (the theme, the frame sender), from their package.
const require = createRequire(import.meta.url);
const lib = (name: string) => require.resolve(`@face-liveness/example-web-client/${name}`);
const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
// The page's files, by name: nothing else of either folder is served, whatever the path says.
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/challenge.html': { file: page('challenge.html'), type: HTML },
  '/challenge.js': { file: page('challenge.js'), type: JS },
  '/challenge.css': { file: page('challenge.css'), type: CSS },
  '/lib/base.css': { file: lib('base.css'), type: CSS },
  '/lib/frame-sender.js': { file: lib('frame-sender.js'), type: JS },
};
// The page runs its own script and style, opens the camera and this origin's socket; nothing else.
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SOCKET_PATH = /^\/v1\/challenges\/([^/]+)\/socket$/;

/** Largest frame message: a 1280x720 JPEG is far below. */
const MAX_FRAME_BYTES = 2 << 20;

/** The public routes: the JWKS, the guided page and the challenge socket (the challenge id is its credential). */
export function registerChallengePublic(
  app: FastifyInstance,
  service: ChallengeService,
  engine: () => LivenessEngine | undefined,
): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return service.signer.jwks;
  });
  for (const [path, { file, type }] of Object.entries(PAGE_FILES)) {
    app.get(path, async (_request, reply) => {
      const body = await readFile(file);
      reply.header('content-security-policy', PAGE_CSP).header('cache-control', 'no-cache').type(type);
      return body;
    });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const match = new URL(request.url ?? '/', 'http://host').pathname.match(SOCKET_PATH);
    if (!match || !CHALLENGE_ID.test(match[1])) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      // ws reports a protocol breach (a message over MAX_FRAME_BYTES, bad framing) as an 'error'
      // event, then closes the socket (1009, 1002): unheard, that event would end the process.
      ws.on('error', (error) =>
        app.log.info({ code: (error as NodeJS.ErrnoException).code }, 'challenge socket error'),
      );
      const loaded = engine();
      // Refused before the claim: the challenge stays issued, and a retry (here or elsewhere) can run it.
      // The slot is taken here, before any await, so that sockets opened at once cannot all pass;
      // serveChallenge releases it.
      if (!loaded || !service.reserve()) {
        ws.close(CLOSE.busy, 'busy; try again in a moment');
        return;
      }
      void serveChallenge(ws, match[1], loaded, service, app.log);
    });
  });
  // Before the engine closes (onClose): the runs end while their sessions can still close.
  app.addHook('preClose', async () => {
    service.closing = true;
    for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    wss.close();
  });
}
