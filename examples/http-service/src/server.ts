import { createHash } from 'node:crypto';
import { InvalidInputError } from '@face-liveness/core';
import type { LivenessEngineOptions, SessionOptions } from '@face-liveness/pipeline';
import bearerAuth from '@fastify/bearer-auth';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { Admission } from './admission.js';
import { openStore } from './challenge/open-store.js';
import { registerChallengeApi, registerChallengePublic } from './challenge/routes.js';
import { ChallengeService, type ChallengeSettings, DEFAULT_CHALLENGE_SETTINGS } from './challenge/service.js';
import { ResultSigner } from './challenge/signing.js';
import type { ChallengeStore } from './challenge/store.js';
import type { CheckLimits, LivenessChecker } from './checker.js';
import { ServiceError, sendError } from './errors.js';
import { Models } from './models.js';
import { readUpload } from './upload.js';

/** Options of {@link buildServer}; the defaults are those of the environment variables in the README. */
export interface ServiceOptions {
  /** Largest upload accepted, in bytes. Default 20 MB. */
  maxBytes?: number;
  /** Frame count and duration limits of videos. */
  limits?: Partial<CheckLimits>;
  /** Checks running at once, all on the process's one engine. Default 2. */
  concurrency?: number;
  /** Requests admitted beyond those running (receiving or waiting) before the service answers 503. Default 16. */
  maxQueue?: number;
  /** Which models the engine loads, once per process. */
  engine?: LivenessEngineOptions;
  /** How each check is judged: fusion policy, threshold, detection cadence. */
  session?: SessionOptions;
  /** Time a client has to send the request headers, in milliseconds. Default 10000. */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request, body included, in milliseconds. Default 30000. */
  requestTimeoutMs?: number;
  /** Accepted API keys (`Authorization: Bearer KEY`); none: no authentication. */
  apiKeys?: string[];
  /** Requests per client (API key, else address) per window. Default 60 per 60000 ms. */
  rateLimit?: { max: number; windowMs: number };
  /** Origins allowed to call the API from a browser; none: no CORS headers. */
  corsOrigins?: string[];
  /** Addresses or CIDR ranges of the proxies whose X-Forwarded-For names the client. */
  trustProxy?: string[];
  /** Fastify's logger option (pino). Default `{ level: 'info' }`. */
  logger?: FastifyServerOptions['logger'];
  /** Active liveness: challenges, their socket, signed results. */
  challenges?: ChallengeOptions;
}

/** Options of the challenges (see README, "Active liveness"). */
export interface ChallengeOptions extends Partial<ChallengeSettings> {
  /** Private key signing the results: PKCS#8 PEM or private JWK (EC P-256 or Ed25519); none: a key of this process only. */
  signingKey?: string;
  /** The results' `iss`. Default `face-liveness`. */
  issuer?: string;
  /** Redis shared by the service's processes (`redis://...`); none: memory of this process. */
  redisUrl?: string;
  /** A store to use instead (tests). */
  store?: ChallengeStore;
}

const RAW_TYPES = /^(image\/|video\/|application\/octet-stream)/;
// Node checks request timeouts on this period: the default (30 s) would let a 30 s limit run to 60.
const TIMEOUT_CHECK_MS = 500;
const RETRY_BUSY_S = 2;
const RETRY_NOT_READY_S = 10;

const positiveInteger = (name: string, value: number, min: number) => {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new InvalidInputError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
};

/**
 * The HTTP service: `POST /v1/liveness` (an image or a short video, as the multipart field `file`
 * or as the raw body) answers with the verdict JSON; `GET /healthz` says the process is alive,
 * `GET /readyz` whether it takes checks (models loaded, room in the queue). The models load in the
 * background; `app.close()` lets the running checks finish, then releases them.
 */
export async function buildServer(options: ServiceOptions = {}): Promise<FastifyInstance> {
  const maxBytes = options.maxBytes ?? 20e6;
  const concurrency = positiveInteger('concurrency', options.concurrency ?? 2, 1);
  const admission = new Admission(concurrency + positiveInteger('maxQueue', options.maxQueue ?? 16, 0));
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    logger: options.logger ?? { level: 'info' },
    bodyLimit: maxBytes,
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    },
    trustProxy: options.trustProxy?.length ? options.trustProxy : false,
    // Refused below instead, with Retry-After and the service's error format.
    return503OnClosing: false,
    clientErrorHandler(error, socket) {
      // A reset connection has no one left to answer.
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const status = timeout ? '408 Request Timeout' : '400 Bad Request';
      const body = JSON.stringify(
        timeout
          ? { error: 'timeout', message: `the request was not received within ${requestTimeoutMs / 1000} s` }
          : { error: 'bad_request', message: 'the request is malformed' },
      );
      app.log.info({ code: error.code }, 'client error');
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      }
      socket.destroy();
    },
  });
  const models = new Models(options.engine, { ...options, concurrency }, app.log);
  const challengeOptions = options.challenges ?? {};
  const signer = await ResultSigner.create(
    challengeOptions.signingKey,
    challengeOptions.issuer ?? 'face-liveness',
  );
  if (signer.ephemeral) {
    app.log.warn(
      'no CHALLENGE_SIGNING_KEY: challenge results are signed with a key made for this process, which other processes and restarts do not know',
    );
  }
  const store =
    challengeOptions.store ??
    (await openStore(challengeOptions.redisUrl, (error) =>
      // The address may hold a password: the error's code and message only.
      app.log.warn({ code: (error as NodeJS.ErrnoException).code }, `redis: ${error.message}`),
    ));
  const { signingKey: _key, issuer: _issuer, redisUrl: _url, store: _store, ...settings } = challengeOptions;
  const challenges = new ChallengeService(store, signer, {
    ...DEFAULT_CHALLENGE_SETTINGS,
    ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
  });
  const engine = () => models.checker?.engine;
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) {
      throw new ServiceError(503, 'shutting_down', 'this process is shutting down; retry', {
        retryAfterSeconds: RETRY_BUSY_S,
      });
    }
  });
  // Kept-alive connections would otherwise hold the close open until their idle timeout (72 s).
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    // Checks admitted before the close still need the models.
    await admission.idle();
    await challenges.idle();
    await models.close();
    if (!challengeOptions.store) await store.close();
  });
  app.setErrorHandler(sendError);
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new ServiceError(
        404,
        'not_found',
        'no such route: POST /v1/liveness, POST /v1/challenges, POST /v1/results/verify, GET /healthz, GET /readyz',
      ),
      request,
      reply,
    ),
  );

  // A JSON API: no content of its own to frame, script or embed.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });
  await app.register(cors, {
    origin: options.corsOrigins?.length ? options.corsOrigins : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type'],
  });
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 2, fields: 2, parts: 4 } });
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) =>
    done(null, body),
  );

  // Runs before the body is read: a refused request costs no memory.
  async function admit(request: FastifyRequest, reply: FastifyReply) {
    if (!models.checker) {
      throw new ServiceError(503, 'not_ready', 'the models are not loaded yet; retry later', {
        retryAfterSeconds: RETRY_NOT_READY_S,
      });
    }
    if (!admission.enter(request, reply)) {
      throw new ServiceError(
        503,
        'busy',
        `${admission.capacity} checks are already running or waiting; retry later`,
        {
          retryAfterSeconds: RETRY_BUSY_S,
        },
      );
    }
  }

  registerChallengePublic(app, challenges, engine);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checker = models.checker;
    if (!checker) {
      reply.code(503).header('retry-after', RETRY_NOT_READY_S);
      return { status: models.failed ? 'models_unavailable' : 'loading' };
    }
    const load = { ...checker.load, admitted: admission.admitted, maxAdmitted: admission.capacity };
    if (!admission.full) return { status: 'ready', ...load };
    reply.code(503).header('retry-after', RETRY_BUSY_S);
    return { status: 'saturated', ...load };
  });

  await app.register(async (api) => {
    const keyed = Boolean(options.apiKeys?.length);
    if (keyed) {
      await api.register(bearerAuth, {
        keys: new Set(options.apiKeys),
        verifyErrorLogLevel: 'info',
        errorResponse: () => ({
          error: 'unauthorized',
          message: 'send a valid API key as "Authorization: Bearer KEY"',
        }),
      });
    }
    const { max, windowMs } = options.rateLimit ?? { max: 60, windowMs: 60_000 };
    await api.register(rateLimit, {
      max,
      timeWindow: windowMs,
      // Authentication runs first, so a key seen here is valid: one budget per key, else per address.
      keyGenerator: (request) => {
        const auth = request.headers.authorization;
        return keyed && auth ? `key:${createHash('sha256').update(auth).digest('hex')}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) =>
        new ServiceError(
          429,
          'rate_limited',
          `at most ${context.max} requests per ${windowMs / 1000} s; retry in ${context.after}`,
        ),
    });
    api.post('/v1/liveness', { preParsing: admit }, async (request) => {
      // Admission saw the models loaded, and they stay loaded until the server has closed.
      const checker = models.checker as LivenessChecker;
      const result = await admission.check(request, async () => checker.check(await readUpload(request)));
      request.log.info(
        {
          kind: result.kind,
          verdict: result.verdict,
          faces: result.faces.length,
          frames: result.frames,
          ms: result.elapsedMs,
        },
        'checked',
      );
      return result;
    });
    registerChallengeApi(api, challenges, keyed);
  });

  return app;
}
