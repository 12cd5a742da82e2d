// The HTTP service target: the built example service started once on loopback with an empty
// temporary model store, each case POSTed (raw body or multipart), its answer judged. A service
// that dies, stops answering or logs at `error` is a crash of the case that was running; it is
// started again for the next case.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { badServiceBody, internalText, judgeAccepted, judgeRefused } from './oracle.mjs';
import { SERVICE_MAIN } from './paths.mjs';

const CODES = new Set([
  'no_file',
  'unexpected_field',
  'too_many_files',
  'bad_multipart',
  'bad_request',
  'too_large',
  'too_many_pixels',
  'too_long',
  'too_many_frames',
  'unsupported_type',
  'corrupt_file',
  'no_face',
]);
const CONTENT_TYPES = ['application/octet-stream', 'image/jpeg', 'image/png', 'video/mp4'];

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
    probe.on('error', reject);
  });
}

export class Service {
  constructor({ env, storeDir }) {
    this.env = env;
    this.storeDir = storeDir;
    this.log = [];
  }

  async start() {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.exited = undefined;
    const env = {
      ...this.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      FACE_LIVENESS_HOME: this.storeDir,
      RATE_LIMIT_MAX: '1000000',
      CONCURRENCY: '1',
      LOG_LEVEL: 'info',
    };
    this.child = spawn(process.execPath, [SERVICE_MAIN], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (d) => {
      for (const line of String(d).split('\n')) if (line.trim()) this.log.push(line);
      if (this.log.length > 2000) this.log.splice(0, this.log.length - 1000);
    };
    this.child.stdout.on('data', collect);
    this.child.stderr.on('data', collect);
    this.child.on('exit', (code, signal) => {
      this.exited = { code, signal };
    });
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (this.exited)
        throw new Error(
          `the service exited at start (${JSON.stringify(this.exited)}): ${this.log.slice(-5).join('\n')}`,
        );
      try {
        if ((await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the service was not ready in 180 s: ${this.log.slice(-5).join('\n')}`);
  }

  async stop() {
    if (!this.child || this.exited) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {}
    }, 10_000);
    await gone;
    clearTimeout(timer);
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  async alive() {
    try {
      return (await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(5000) })).status === 200;
    } catch {
      return false;
    }
  }
}

/** Lines the service logged at `error` or above (pino level >= 50) since `from`. */
function errorLines(service, from) {
  return service.log.slice(from).filter((line) => {
    try {
      return JSON.parse(line).level >= 50;
    } catch {
      return internalText(line) !== undefined;
    }
  });
}

async function post(service, c, rng, timeoutMs) {
  const multipart = c.index % 3 === 0;
  const type = CONTENT_TYPES[c.index % CONTENT_TYPES.length];
  c.commandLine = multipart
    ? `curl -F file=@input.${c.ext} ${service.url}/v1/liveness`
    : `curl --data-binary @input.${c.ext} -H 'content-type: ${type}' ${service.url}/v1/liveness`;
  let body;
  let headers = {};
  if (multipart) {
    body = new FormData();
    body.append('file', new Blob([c.bytes], { type }), `input.${c.ext}`);
  } else {
    body = c.bytes;
    headers = { 'content-type': type };
  }
  const response = await fetch(`${service.url}/v1/liveness`, {
    method: 'POST',
    body,
    headers,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, text: await response.text() };
}

export async function runServiceCases(cases, { service, timeoutMs, onResult }) {
  {
    for (const c of cases) {
      const from = service.log.length;
      let judged;
      try {
        let answer = await post(service, c, undefined, timeoutMs);
        for (let retry = 0; answer.status === 503 && retry < 5; retry++) {
          await new Promise((r) => setTimeout(r, 1000));
          answer = await post(service, c, undefined, timeoutMs);
        }
        c.output = `HTTP ${answer.status}\n${answer.text.slice(0, 4000)}`;
        let json;
        try {
          json = JSON.parse(answer.text);
        } catch {}
        if (answer.status === 200) judged = judgeAccepted(c, badServiceBody(json));
        else if (answer.status >= 400 && answer.status < 500) {
          if (!json || !CODES.has(json.error))
            judged = { outcome: 'crash', detail: `HTTP ${answer.status} with ${answer.text.slice(0, 300)}` };
          else {
            judged = judgeRefused(c, `${json.error}: ${json.message}`, {
              forbidPaths: true,
              limit: /^too_many_pixels:/,
            });
            if (c.expect === 'accept' && json.error === 'no_face')
              judged = { outcome: 'ok', detail: 'no face' };
          }
        } else judged = { outcome: 'crash', detail: `HTTP ${answer.status}: ${answer.text.slice(0, 300)}` };
      } catch (error) {
        const timedOut = error?.name === 'TimeoutError' || error?.name === 'AbortError';
        judged = timedOut
          ? { outcome: 'hang', detail: `no answer in ${timeoutMs} ms` }
          : { outcome: 'crash', detail: `request failed: ${error?.cause?.code ?? error?.message}` };
        c.output = String(error?.stack ?? error);
      }
      const logged = errorLines(service, from);
      if (logged.length > 0 && judged.outcome !== 'hang')
        judged = { outcome: 'crash', detail: `service logged an error: ${logged[0].slice(0, 400)}` };
      if (service.exited)
        judged = { outcome: 'crash', detail: `service exited ${JSON.stringify(service.exited)}` };
      if (logged.length > 0 || service.exited || judged.outcome === 'hang' || judged.outcome === 'crash')
        c.output = `${c.output ?? ''}\n--- service log\n${service.log.slice(from).join('\n').slice(-6000)}`;
      onResult(c, judged);
      if (service.exited || (judged.outcome === 'hang' && !(await service.alive()))) await service.restart();
    }
  }
}
