// --import hook for startup.mjs: records which node_modules packages the process resolves (the
// main thread's ESM and CommonJS loads), so the bench can list what the runtime opens.
import Module, { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const seen = [];
globalThis.resolvedPackages = seen;
const packageOf = (url) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return m
    ? m[1]
    : url.includes('/packages/')
      ? `@face-liveness/${/packages\/([^/]+)/.exec(url)[1]}`
      : undefined;
};
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => {
  const name = packageOf(url);
  if (name) seen.push(name);
});
port1.unref();
register('./resolve-hook.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const name = packageOf(Module._resolveFilename(request, parent, isMain));
  if (name) seen.push(name);
  return load.apply(this, arguments);
};
