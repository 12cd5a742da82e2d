// Starts the webcam page: http://HOST:PORT/ (default 127.0.0.1:3000). POLICY picks the fusion
// policy (passive, blink, original, fused). Browsers allow the camera on localhost or over HTTPS.
import type { FusionPolicy } from '@face-liveness/pipeline';
import { buildServer } from './server.js';

const app = await buildServer({
  session: { policy: (process.env.POLICY ?? 'fused') as FusionPolicy },
  maxSessions: Number(process.env.MAX_SESSIONS ?? 4),
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => app.close().then(() => process.exit(0)));
}
const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
});
app.log.info(`open ${address} in a browser`);
