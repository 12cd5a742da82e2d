import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DLIB_68_PATH, missing, sharedPath } from '@face-liveness/core/testing';
import {
  buildExample,
  cutVideo,
  exampleModelStore,
  REAL_VIDEO,
  REPLAY_VIDEO,
  SEED_KERAS_MODEL,
} from '@face-liveness/example-test-support';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, codeBlocks } from './markdown-blocks.js';

// How the code blocks of docs/guides run (one test file per guide, so that they spread over the
// test workers). Each guide runs in its own scratch folder holding the files the guides name
// (photo.jpg, clip.mp4, liveness.model, faces/...) and its own model store:
// - `sh` blocks run in bash (set -euo pipefail) with the built `face-liveness` on the PATH;
// - `ts` blocks are type-checked together (blocks.test.ts), and each runs with node;
// - `json` blocks must parse; `text` blocks are program output, shown not run, and a `text output`
//   block must equal what the block before it printed;
// - `sh norun` is allowed only for installing the project itself.
const run = promisify(execFile);
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const GUIDES = [
  'getting-started',
  'pipeline',
  'training',
  'res10-conversion',
  'deployment',
  'security',
  'active-liveness',
];
// Installing the project, or its packed tarballs into an app (deployment.md; CI's scripts/ci-packages.sh runs those).
export const NORUN_LINE =
  /^\s*(#.*|npm (install|ci|init|pkg set|run build)\b.*|node scripts\/pack\.mjs .*|cd \S+|export PATH=.*|(sudo )?apt-get install .*|arch=\$\(node -p process\.arch\)|find node_modules\/onnxruntime-node\/bin .*)?$/;

const SHARED_FILES = {
  'photo.jpg': sharedPath('data/msu-mfsd-train/real/real_client002_android_SD_scene01.jpg'),
  'print.jpg': sharedPath('data/msu-mfsd-train/fake/attack_client002_android_SD_printed_photo_scene01.jpg'),
  'liveness.model': SEED_KERAS_MODEL,
  'opencv_face_detector_uint8.pb': sharedPath('models/res10-tensorflow/opencv_face_detector_uint8.pb'),
  'opencv_face_detector.pbtxt': sharedPath('models/res10-tensorflow/opencv_face_detector.pbtxt'),
};
const CROPS = sharedPath('data/replay-one-subject');
const absent = missing(...Object.values(SHARED_FILES), REAL_VIDEO, REPLAY_VIDEO, CROPS, DLIB_68_PATH);

export function guideBlocks(name: string): CodeBlock[] {
  return codeBlocks(readFileSync(join(REPO, 'docs/guides', `${name}.md`), 'utf8'));
}

/** Where a guide's ts block is written: inside the repository, so that `@face-liveness/*` resolve. */
export function blockFile(dir: string, guide: string, block: CodeBlock, extension: '.mts' | '.mjs'): string {
  return join(REPO, 'examples/docs-check/dist', dir, `${guide}-line${block.line}${extension}`);
}

/** The TypeScript source of a ts block: a module of its own (top-level await needs one). */
export function blockModule(block: CodeBlock): string {
  return `${block.code}\nexport {};\n`;
}

async function scratchFolder(store: 'empty' | 'installed'): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'guide-'));
  for (const [name, path] of Object.entries(SHARED_FILES)) symlinkSync(path, join(work, name));
  await cutVideo(REAL_VIDEO, 1.5, join(work, 'clip.mp4'));
  await cutVideo(REPLAY_VIDEO, 1.5, join(work, 'replay.mp4'));
  // Small face-crop datasets for the training guide: 24 crops per class to train, 12 to validate.
  for (const label of ['real', 'fake']) {
    const crops = readdirSync(join(CROPS, label)).sort();
    for (const [split, from, to] of [
      ['train', 0, 24],
      ['val', 100, 112],
    ] as const) {
      mkdirSync(join(work, 'faces', split, label), { recursive: true });
      for (const crop of crops.slice(from, to)) {
        cpSync(join(CROPS, label, crop), join(work, 'faces', split, label, crop));
      }
    }
  }
  // Guides after getting-started assume its models: a private copy, as some guides install more.
  if (store === 'installed') cpSync(await exampleModelStore(), join(work, 'store'), { recursive: true });
  return work;
}

/**
 * Runs a guide's blocks in order, one test each. `store: 'empty'` starts from an empty model store
 * (getting-started installs the models itself); `installed` from one with its models.
 */
export function describeGuide(name: string, store: 'empty' | 'installed'): void {
  const blocks = guideBlocks(name);
  describe.skipIf(absent)(`docs/guides/${name}.md ${absent ?? ''}`, () => {
    let work: string;
    let env: NodeJS.ProcessEnv;
    // What the last block printed, for a `text output` block after it.
    let printed = '';
    const lines = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .map((l) => l.trimEnd());

    beforeAll(async () => {
      work = await scratchFolder(store);
      // deployment.md runs the HTTP example as `face-liveness-http`.
      if (name === 'deployment') await buildExample('http-service');
      rmSync(join(REPO, 'examples/docs-check/dist', `run-${name}`), { recursive: true, force: true });
      env = {
        ...process.env,
        FACE_LIVENESS_HOME: join(work, 'store'),
        PATH: `${join(REPO, 'node_modules/.bin')}:${process.env.PATH}`,
      };
    });
    afterAll(async () => {
      if (work) await rm(work, { recursive: true, force: true });
    });

    for (const block of blocks) {
      if (block.lang === 'text' && block.meta.includes('output')) {
        it(`line ${block.line} shows what the block before it printed`, () => {
          expect(lines(printed)).toEqual(lines(block.code));
        });
        continue;
      }
      if (block.meta.includes('norun') || (block.lang !== 'sh' && block.lang !== 'ts')) continue;
      it(`line ${block.line} (${block.lang}) runs`, async () => {
        printed = '';
        const options = { cwd: work, env, timeout: 180_000, maxBuffer: 32 << 20 };
        if (block.lang === 'sh') {
          printed = (await run('bash', ['-c', `set -euo pipefail\n${block.code}`], options)).stdout;
          return;
        }
        const js = ts.transpileModule(blockModule(block), {
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
        }).outputText;
        const file = blockFile(`run-${name}`, name, block, '.mjs');
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, js);
        printed = (await run(process.execPath, [file], options)).stdout;
      });
    }
  });
}
