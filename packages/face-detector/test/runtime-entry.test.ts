import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readImage } from '@face-liveness/core';
import { missing } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACEAPI_IMAGES } from './res10-files.js';

const run = promisify(execFile);
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const SCRIPTS = join(PACKAGE, 'test', 'runtime-entry');
const IMAGE = join(FACEAPI_IMAGES, 'angry.jpg');
/** The converter's peer dependencies, made to look uninstalled in the child processes. */
const PEERS = ['protobufjs', 'onnx-proto', '@mediapipe/face_detection'];
/** What the runtime entry must never load. */
const TOOLING = [
  /protobufjs/,
  /onnx-proto/,
  /@mediapipe/,
  /\/convert\//,
  /\/tflite\//,
  /\/face-detector\/dist\/onnx\//,
];

// The child processes import the built package, as an application does.
const absent = missing(join(PACKAGE, 'dist', 'index.js'), IMAGE);

describe.skipIf(absent !== undefined)(`the runtime entry in a plain node process ${absent ?? ''}`, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runtime-entry-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Runs `args` under node with the logging hooks; the peers blocked, an empty model store. */
  async function node(log: string, ...args: string[]) {
    return run(process.execPath, ['--import', join(SCRIPTS, 'register.mjs'), ...args], {
      cwd: PACKAGE,
      env: {
        ...process.env,
        FACE_LIVENESS_HOME: join(dir, 'empty-store'),
        RESOLVE_LOG: log,
        BLOCK_PACKAGES: PEERS.join(','),
      },
    });
  }

  it('detects with the default BlazeFace without loading protobufjs, onnx-proto or any converter', async () => {
    const frame = await readImage(IMAGE);
    const rgb = join(dir, 'frame.rgb');
    await writeFile(rgb, frame.data);
    const log = join(dir, 'detect.log');
    const { stdout } = await node(
      log,
      join(SCRIPTS, 'detect.mjs'),
      rgb,
      String(frame.width),
      String(frame.height),
    );
    const result = JSON.parse(stdout) as { name: string; reason: string; faces: number; commonjs: string[] };
    expect(result.name).toBe('blazeface');
    expect(result.faces).toBe(1);

    const resolved = (await readFile(log, 'utf8')).trim().split('\n');
    const loaded = [...resolved, ...result.commonjs];
    const tooling = loaded.filter((url) => TOOLING.some((pattern) => pattern.test(url)));
    const own = new Set(
      resolved.filter((url) => url.includes('/face-detector/')).map((url) => url.split('/face-detector/')[1]),
    );
    const packages = new Set(
      loaded.map((url) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1]).filter(Boolean),
    );
    console.log(
      `runtime entry: ${resolved.length} ESM resolutions, ${result.commonjs.length} CommonJS modules; ` +
        `face-detector files: ${[...own].join(', ')}; packages: ${[...packages].join(', ')}; ` +
        `converter or peer modules: ${tooling.length ? tooling.join(', ') : 'none'}`,
    );
    expect(tooling).toEqual([]);
  });

  it('the convert entry names the peer dependency to install when it is missing', async () => {
    const attempt = node(
      join(dir, 'convert.log'),
      '--input-type=module',
      '-e',
      "await import('@face-liveness/face-detector/convert')",
    );
    await expect(attempt).rejects.toThrow(
      /@face-liveness\/face-detector\/convert\) needs the optional package (onnx-proto|protobufjs): npm install \1/,
    );
  });
});
