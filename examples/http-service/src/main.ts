// Starts the service: PORT (default 3000), HOST (default 127.0.0.1), and the limits below from the
// environment. SIGTERM/SIGINT stop it gracefully: running checks finish, models are released.
import { buildServer } from './server.js';

const env = (name: string, fallback: number) => {
  const value = process.env[name];
  return value === undefined ? fallback : Number(value);
};

const app = await buildServer({
  maxBytes: env('MAX_BYTES', 20e6),
  concurrency: env('CONCURRENCY', 2),
  maxQueue: env('MAX_QUEUE', 16),
  limits: { maxFrames: env('MAX_FRAMES', 300), maxDurationMs: env('MAX_DURATION_MS', 15_000) },
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    app.close().then(() => process.exit(0));
  });
}
await app.listen({ port: env('PORT', 3000), host: process.env.HOST ?? '127.0.0.1' });
