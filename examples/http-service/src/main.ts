// Starts the service with the settings of the environment (see README). A bad setting ends the
// process with exit code 2 and one line per bad variable, before anything is loaded.
// SIGTERM/SIGINT stop it gracefully: running checks finish, models are released.
import { ConfigError, loadConfig } from './config.js';
import { buildServer } from './server.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

let app: Awaited<ReturnType<typeof buildServer>>;
try {
  app = await buildServer(config.service);
} catch (error) {
  // An unreachable REDIS_URL or an unusable signing key: one line, not a stack.
  console.error(`cannot start: ${(error as Error).message}`);
  process.exit(1);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    app.close().then(() => process.exit(0));
  });
}
try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  // EADDRINUSE, EACCES, an unknown HOST: one line, not a stack.
  app.log.fatal({ code: (error as NodeJS.ErrnoException).code }, (error as Error).message);
  await app.close();
  process.exit(1);
}
