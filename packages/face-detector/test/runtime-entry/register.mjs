// `node --import ./register.mjs`: installs hooks.mjs with the log file and blocked packages taken
// from RESOLVE_LOG and BLOCK_PACKAGES (comma-separated).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url, {
  data: {
    log: process.env.RESOLVE_LOG,
    blocked: (process.env.BLOCK_PACKAGES ?? '').split(',').filter(Boolean),
  },
});
