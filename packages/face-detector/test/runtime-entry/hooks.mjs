// Module hooks for runtime-entry.test.ts: log every module resolution to a file, and make the
// packages listed in `blocked` look uninstalled (resolving them is logged as `blocked ...`).
import { appendFileSync } from 'node:fs';

let log;
let blocked = [];

export function initialize(data) {
  log = data.log;
  blocked = data.blocked;
}

export async function resolve(specifier, context, nextResolve) {
  if (blocked.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
    appendFileSync(log, `blocked ${specifier} from ${context.parentURL}\n`);
    const error = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  const resolved = await nextResolve(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
