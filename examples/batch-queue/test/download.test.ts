import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download } from '../src/download.js';
import { isPrivateAddress } from '../src/url-policy.js';

describe('examples/batch-queue downloads', () => {
  let server: Server;
  let port: number;
  let dir: string;
  const hits: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'example-download-'));
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/silent') return; // accepts the connection, never answers
      if (req.url === '/trickle') {
        res.writeHead(200, { 'content-type': 'video/mp4' });
        const timer = setInterval(() => res.write('x'), 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (req.url === '/redirect') return res.writeHead(302, { location: '/ok.mp4' }).end();
      if (req.url === '/big') return res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
      if (req.url === '/big-chunked') {
        res.writeHead(200);
        return res.end(Buffer.alloc(5000));
      }
      res.writeHead(200, { 'content-type': 'video/mp4' }).end('video bytes');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses loopback, private and link-local addresses by default, before connecting', async () => {
    const refused = [
      `http://127.0.0.1:${port}/ok.mp4`,
      `http://localhost:${port}/ok.mp4`,
      `http://[::1]:${port}/ok.mp4`,
      `http://[::ffff:127.0.0.1]:${port}/ok.mp4`,
      'http://10.1.2.3/ok.mp4',
      'http://169.254.169.254/latest/meta-data/',
      'http://192.168.1.1/ok.mp4',
      'http://0.0.0.0/ok.mp4',
    ];
    for (const url of refused) {
      const error = await download(url, dir).catch((e: Error) => e);
      expect(error, url).toBeInstanceOf(UnrecoverableError);
      expect((error as Error).message, url).toMatch(/refused: .*private, loopback or link-local/);
    }
    expect(hits).toEqual([]);
    for (const address of ['8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
    for (const address of ['172.20.0.1', '100.64.0.1', 'fd00::1', 'fe80::1', '::']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it('downloads, follows redirects, and allows private addresses when told to', async () => {
    const path = await download(`http://localhost:${port}/redirect`, dir, { allowPrivate: true });
    expect(await readFile(path, 'utf8')).toBe('video bytes');
    expect(hits).toEqual(['/redirect', '/ok.mp4']);
  });

  it('gives up on a server that does not answer, or answers too slowly, at the timeout (retryable)', async () => {
    for (const route of ['/silent', '/trickle']) {
      const started = performance.now();
      const error = await download(`http://127.0.0.1:${port}${route}`, dir, {
        allowPrivate: true,
        timeoutMs: 1000,
      }).catch((e: Error) => e);
      const ms = performance.now() - started;
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(UnrecoverableError);
      expect((error as Error).message).toMatch(/not downloaded in 1000 ms/);
      expect(ms).toBeGreaterThanOrEqual(950);
      expect(ms).toBeLessThan(2000);
    }
  });

  // Node accepts every connection it can: a listener that never accepts, with a backlog of one,
  // is a server whose connections hang (the kernel drops the SYNs past the first).
  it.skipIf(!existsSync('/usr/bin/python3'))(
    'gives up on a connection not accepted at the connect timeout',
    async () => {
      const listener = spawn('/usr/bin/python3', [
        '-c',
        "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(30)",
      ]);
      try {
        const port = await new Promise<number>((resolve) =>
          listener.stdout.once('data', (d) => resolve(Number(d))),
        );
        const filler = connect(port, '127.0.0.1');
        await new Promise((resolve) => filler.once('connect', resolve));
        const started = performance.now();
        const error = await download(`http://127.0.0.1:${port}/x.mp4`, dir, {
          allowPrivate: true,
          connectTimeoutMs: 500,
        }).catch((e: Error) => e);
        expect(error).not.toBeInstanceOf(UnrecoverableError);
        expect((error as Error).message).toMatch(/did not accept a connection in 500 ms/);
        expect(performance.now() - started).toBeLessThan(1500);
        filler.destroy();
      } finally {
        listener.kill();
      }
    },
  );

  it('refuses files over the size limit, announced or not (final)', async () => {
    for (const route of ['/big', '/big-chunked']) {
      const error = await download(`http://127.0.0.1:${port}${route}`, dir, {
        allowPrivate: true,
        maxBytes: 1000,
      }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(UnrecoverableError);
      expect((error as Error).message).toMatch(/larger than 1000 bytes/);
    }
  });
});
