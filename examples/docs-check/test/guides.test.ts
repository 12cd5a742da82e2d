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
  REAL_VIDEO,
  REPLAY_VIDEO,
  SEED_KERAS_MODEL,
} from '@face-liveness/example-test-support';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, codeBlocks } from './markdown-blocks.js';

// Every code block of docs/guides runs here, in the guides' order, in one scratch folder that holds
// the files the guides name (photo.jpg, clip.mp4, liveness.model...) and a fresh model store:
// - `sh` blocks run in bash (set -euo pipefail) with the built `face-liveness` on the PATH, in the
//   scratch folder, or at the repository root when marked `sh cwd=repo`;
// - `ts` blocks are type-checked together (strict), then each runs with node in the scratch folder;
// - `json` blocks must parse; `text` blocks are program output, shown not run, and a `text output`
//   block must equal what the block before it printed;
// - `sh norun` is allowed only for installing the project itself (npm/git lines).
const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const GUIDES_DIR = join(REPO, 'docs/guides');
const GUIDES = ['getting-started', 'pipeline', 'training', 'res10-conversion', 'deployment', 'security'];
const BLOCKS_DIR = join(REPO, 'examples/docs-check/dist/blocks');
const NORUN_LINE =
  /^\s*(#.*|npm (install|ci|run build)\b.*|cd \S+|export PATH=.*|(sudo )?apt-get install .*)?$/;

const SHARED_FILES = {
  'photo.jpg': sharedPath('data/msu-mfsd-train/real/real_client002_android_SD_scene01.jpg'),
  'print.jpg': sharedPath('data/msu-mfsd-train/fake/attack_client002_android_SD_printed_photo_scene01.jpg'),
  'liveness.model': SEED_KERAS_MODEL,
  'opencv_face_detector_uint8.pb': sharedPath('models/res10-tensorflow/opencv_face_detector_uint8.pb'),
  'opencv_face_detector.pbtxt': sharedPath('models/res10-tensorflow/opencv_face_detector.pbtxt'),
};
const CROPS = sharedPath('data/replay-one-subject');
const absent = missing(...Object.values(SHARED_FILES), REAL_VIDEO, REPLAY_VIDEO, CROPS, DLIB_68_PATH);

const guides = GUIDES.map((name) => {
  const blocks = codeBlocks(readFileSync(join(GUIDES_DIR, `${name}.md`), 'utf8'));
  return { name, blocks };
});

function tsFile(guide: string, block: CodeBlock): string {
  return join(BLOCKS_DIR, `${guide}-line${block.line}.mts`);
}

describe('docs/guides code blocks', () => {
  it('use only the languages the check knows, and `norun` only to install the project', () => {
    for (const { name, blocks } of guides) {
      expect(blocks.length, `${name}.md has code`).toBeGreaterThan(0);
      for (const block of blocks) {
        const where = `${name}.md:${block.line}`;
        expect(['sh', 'ts', 'json', 'text'], where).toContain(block.lang);
        if (block.meta.includes('norun')) {
          expect(block.lang, where).toBe('sh');
          for (const line of block.code.split('\n')) expect(line, where).toMatch(NORUN_LINE);
        }
        if (block.lang === 'json') expect(() => JSON.parse(block.code), where).not.toThrow();
      }
    }
  });

  it('ts blocks type-check (strict, NodeNext) against the packages', () => {
    rmSync(BLOCKS_DIR, { recursive: true, force: true });
    mkdirSync(BLOCKS_DIR, { recursive: true });
    const files: string[] = [];
    for (const { name, blocks } of guides) {
      for (const block of blocks.filter((b) => b.lang === 'ts')) {
        const file = tsFile(name, block);
        // Each block is its own module (top-level await needs one).
        writeFileSync(file, `${block.code}\nexport {};\n`);
        files.push(file);
      }
    }
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${d.file.fileName.replace(`${BLOCKS_DIR}/`, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  });

  describe.skipIf(absent)(`run in order ${absent ?? ''}`, () => {
    let work: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'guides-'));
      // deployment.md runs the HTTP example as `face-liveness-http`.
      await buildExample('http-service');
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
          for (const crop of crops.slice(from, to))
            cpSync(join(CROPS, label, crop), join(work, 'faces', split, label, crop));
        }
      }
      env = {
        ...process.env,
        FACE_LIVENESS_HOME: join(work, 'store'),
        PATH: `${join(REPO, 'node_modules/.bin')}:${process.env.PATH}`,
      };
    });
    afterAll(async () => {
      if (work) await rm(work, { recursive: true, force: true });
    });

    // What the last block printed, for a `text output` block after it.
    let printed = '';
    const lines = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .map((l) => l.trimEnd());
    for (const { name, blocks } of guides) {
      for (const block of blocks) {
        if (block.lang === 'text' && block.meta.includes('output')) {
          it(`${name}.md:${block.line} shows what the block before it printed`, () => {
            expect(lines(printed)).toEqual(lines(block.code));
          });
          continue;
        }
        if (block.meta.includes('norun') || (block.lang !== 'sh' && block.lang !== 'ts')) continue;
        it(`${name}.md:${block.line} (${block.lang})`, async () => {
          printed = '';
          const cwd = block.meta.includes('cwd=repo') ? REPO : work;
          const options = { cwd, env, timeout: 180_000, maxBuffer: 32 << 20 };
          if (block.lang === 'sh') {
            printed = (await run('bash', ['-c', `set -euo pipefail\n${block.code}`], options)).stdout;
            return;
          }
          const source = readFileSync(tsFile(name, block), 'utf8');
          const js = ts.transpileModule(source, {
            compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
          }).outputText;
          const file = tsFile(name, block).replace(/\.mts$/, '.mjs');
          writeFileSync(file, js);
          printed = (await run(process.execPath, [file], options)).stdout;
        });
      }
    }
  });
});
