import { createWriteStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UnrecoverableError } from 'bullmq';
import { checkedLookup, checkLiteralHost, RefusedUrlError } from './url-policy.js';

/** Limits of one download; the defaults are those of the worker's environment variables. */
export interface DownloadOptions {
  /** Largest file accepted, in bytes. Default 200 MB. */
  maxBytes?: number;
  /** Time to open the connection (name resolution included), in milliseconds. Default 10000. */
  connectTimeoutMs?: number;
  /** Time for the whole download, redirects included, in milliseconds. Default 120000. */
  timeoutMs?: number;
  /** Let URLs reach loopback, link-local and private addresses. Default false. */
  allowPrivate?: boolean;
  /** Ends the download early (the worker shutting down). */
  signal?: AbortSignal;
}

const MAX_REDIRECTS = 5;

const TYPE_EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'video/webm': '.webm',
  'video/quicktime': '.mov',
};

/** Sends one GET; resolves with the answer's headers, its body still to read. */
function get(url: URL, options: Required<Omit<DownloadOptions, 'signal'>>, signal: AbortSignal) {
  checkLiteralHost(url.hostname, options.allowPrivate);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, { lookup: checkedLookup(options.allowPrivate), signal }, resolve);
    const connectTimer = setTimeout(
      () =>
        req.destroy(new Error(`${url.host} did not accept a connection in ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    req.once('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer); // a kept-alive socket, already open
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.once('close', () => clearTimeout(connectTimer));
    req.once('error', reject);
    req.end();
  });
}

/**
 * Downloads an http(s) source into `dir`, under the URL policy and the limits of `options`. Final
 * failures (a refused address, a 4xx, a file over the limit) are UnrecoverableErrors; a network
 * error, a timeout or a 5xx is thrown as is, so that BullMQ retries the job later.
 */
export async function download(source: string, dir: string, options: DownloadOptions = {}): Promise<string> {
  const limits = {
    maxBytes: options.maxBytes ?? 200e6,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    timeoutMs: options.timeoutMs ?? 120_000,
    allowPrivate: options.allowPrivate ?? false,
  };
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = new URL(source);
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new UnrecoverableError(`${url.protocol} URLs are not downloaded`);
      }
      const response = await get(url, limits, signal);
      const { statusCode = 0, headers } = response;
      if (statusCode >= 300 && statusCode < 400 && headers.location && hop < MAX_REDIRECTS) {
        response.resume();
        // Each hop is checked again: a public URL may redirect to a private one.
        url = new URL(headers.location, url);
        continue;
      }
      if (statusCode < 200 || statusCode >= 500) {
        response.resume();
        throw new Error(`${url} answered ${statusCode}; will retry`);
      }
      if (statusCode >= 300) {
        response.resume();
        throw new UnrecoverableError(`${url} answered ${statusCode} ${response.statusMessage}`);
      }
      if (Number(headers['content-length']) > limits.maxBytes) {
        response.destroy();
        throw new UnrecoverableError(`${url} is larger than ${limits.maxBytes} bytes`);
      }
      const type = (headers['content-type'] ?? '').split(';')[0].trim();
      const path = join(dir, `download${extname(url.pathname) || TYPE_EXTENSIONS[type] || '.mp4'}`);
      let received = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          received += chunk.length;
          if (received > limits.maxBytes)
            done(new UnrecoverableError(`${url} is larger than ${limits.maxBytes} bytes`));
          else done(null, chunk);
        },
      });
      await pipeline(response, limit, createWriteStream(path), { signal });
      return path;
    }
  } catch (error) {
    if (error instanceof RefusedUrlError) {
      throw new UnrecoverableError(
        `${source} refused: ${error.message} (set ALLOW_PRIVATE_URLS=true to allow)`,
      );
    }
    if (timeout.aborted && !options.signal?.aborted) {
      throw new Error(`${source} was not downloaded in ${limits.timeoutMs} ms; will retry`, { cause: error });
    }
    throw error;
  }
}
