import {
  createLivenessEngine,
  type LivenessEngineOptions,
  type SessionOptions,
} from '@face-liveness/pipeline';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type CheckLimits, LivenessChecker, UploadError } from './checker.js';

/** Options of {@link buildServer}. */
export interface ServiceOptions {
  /** Largest upload accepted, in bytes. Default 20 MB. */
  maxBytes?: number;
  /** Frame count and duration limits of videos. */
  limits?: Partial<CheckLimits>;
  /** Checks running at once, all on the process's one engine. Default 2. */
  concurrency?: number;
  /** Checks waiting beyond that before the service answers 503. Default 16. */
  maxQueue?: number;
  /** Which models the engine loads, once per process. */
  engine?: LivenessEngineOptions;
  /** How each check is judged: fusion policy, threshold, detection cadence. */
  session?: SessionOptions;
  /** Time a client has to send its whole request, in milliseconds. Default 30000. */
  requestTimeoutMs?: number;
  /** Fastify's logger option (pino): `true`, a level, a destination... Default `{ level: 'info' }`. */
  logger?: FastifyServerOptions['logger'];
}

const RAW_TYPES = /^(image\/|video\/|application\/octet-stream)/;

/**
 * The HTTP service: `POST /v1/liveness` (an image or a short video, as multipart field `file` or as
 * the raw body) answers with the verdict JSON; `GET /healthz` reports readiness and load.
 * The models are loaded (one engine) before this resolves; `app.close()` lets the running checks
 * finish, then releases them.
 */
export async function buildServer(options: ServiceOptions = {}): Promise<FastifyInstance> {
  const maxBytes = options.maxBytes ?? 20e6;
  const engine = await createLivenessEngine(options.engine);
  let checker: LivenessChecker;
  try {
    checker = new LivenessChecker(engine, options);
  } catch (error) {
    await engine.close(); // a refused option must not leave the models loaded
    throw error;
  }
  const app = Fastify({
    logger: options.logger ?? { level: 'info' },
    bodyLimit: maxBytes,
    // A client has this long to send its request: slow uploads do not hold connections forever.
    requestTimeout: options.requestTimeoutMs ?? 30_000,
  });
  app.addHook('onClose', () => engine.close());

  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 4 } });
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof UploadError) {
      request.log.info({ code: error.code }, error.message);
      return reply.code(error.statusCode).send({ error: error.code, message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's and multipart's own refusals: body too large, bad multipart, unknown Content-Type.
      const code = status === 413 ? 'too_large' : status === 415 ? 'unsupported_type' : 'bad_request';
      const message =
        status === 413 ? `the upload is larger than ${maxBytes} bytes` : (error as Error).message;
      return reply.code(status).send({ error: code, message });
    }
    request.log.error({ err: error }, 'check failed');
    return reply.code(500).send({ error: 'internal', message: 'the check failed; see the service log' });
  });

  app.get('/healthz', async () => ({ status: 'ok', ...checker.load }));

  app.post('/v1/liveness', async (request) => {
    let bytes: Uint8Array;
    if (request.isMultipart()) {
      const file = await request.file();
      if (!file)
        throw new UploadError(400, 'no_file', 'the multipart body has no file: send it in the field "file"');
      bytes = await file.toBuffer();
    } else if (Buffer.isBuffer(request.body)) {
      bytes = request.body;
    } else if (request.body === undefined || request.body === null) {
      throw new UploadError(
        400,
        'no_file',
        'send the image or video as the body or as the multipart field "file"',
      );
    } else {
      throw new UploadError(
        415,
        'unsupported_type',
        `a ${request.headers['content-type']} body is not a file: send image/*, video/*, application/octet-stream or multipart/form-data`,
      );
    }
    if (bytes.length === 0) throw new UploadError(400, 'no_file', 'the upload is empty');
    const result = await checker.check(bytes);
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

  return app;
}
