import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FaceLivenessError, findFfmpeg, ModelStore } from '@face-liveness/core';
import { RES10_INSTALL_HINT, RES10_MODEL_NAME, shippedBlazeFacePath } from '@face-liveness/face-detector';
import { resolveShapePredictor } from '@face-liveness/landmarks';
import { describeBackend, resolveLivenessModel, selectBackend } from '@face-liveness/livenessnet';
import { miniFasNetDir, resolveMiniFasNet } from '@face-liveness/minifasnet';
import type { Command } from 'commander';

/** One line of the report. `needed`: the default job (`face-liveness analyze VIDEO`) cannot run without it. */
interface Check {
  what: string;
  ok: boolean;
  needed: boolean;
  detail: string;
  fix?: string;
}

const APT = 'apt-get install -y'; // as root; with sudo: sudo apt-get install -y

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function attempt(
  what: string,
  needed: boolean,
  probe: () => Promise<string> | string,
  fix: string,
): Promise<Check> {
  try {
    return { what, ok: true, needed, detail: await probe() };
  } catch (error) {
    return { what, ok: false, needed, detail: errorText(error), fix };
  }
}

/** Where `name` is installed, looked up from the libraries' folder (not loaded; some export no package.json). */
function installed(name: string): string | undefined {
  const from = createRequire(import.meta.resolve('@face-liveness/livenessnet'));
  return from.resolve
    .paths(name)
    ?.map((dir) => join(dir, name))
    .find((dir) => existsSync(join(dir, 'package.json')));
}

function optionalPackage(what: string, names: string[], forWhat: string): Check {
  const missing = names.filter((n) => installed(n) === undefined);
  return missing.length === 0
    ? { what, ok: true, needed: false, detail: `${names.join(', ')} installed (${forWhat})` }
    : {
        what,
        ok: false,
        needed: false,
        detail: `not installed: only ${forWhat} need it`,
        fix: `npm install ${missing.join(' ')}`,
      };
}

export async function doctorChecks(store = new ModelStore()): Promise<Check[]> {
  const checks: Check[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number);
  checks.push({
    what: 'node',
    ok: major > 20 || (major === 20 && minor >= 19),
    needed: true,
    detail: `v${process.versions.node} (needs >= 20.19)`,
    fix: 'install Node.js 20.19 or newer',
  });
  checks.push(
    await attempt(
      'ffmpeg',
      true,
      findFfmpeg,
      `${APT} ffmpeg, or npm install @ffmpeg-installer/ffmpeg, or set FFMPEG_PATH`,
    ),
  );
  checks.push(
    await attempt(
      'onnxruntime-node',
      true,
      async () => {
        // The copy face-detector loads (the CLI does not depend on onnxruntime-node itself).
        const ort = createRequire(import.meta.resolve('@face-liveness/face-detector')).resolve(
          'onnxruntime-node',
        );
        await import(pathToFileURL(ort).href);
        return 'loads (runs res10, BlazeFace and MiniFASNet)';
      },
      'ONNXRUNTIME_NODE_INSTALL=skip npm install (its install script downloads CUDA files otherwise)',
    ),
  );
  checks.push(
    await attempt(
      'model store',
      true,
      async () => {
        const results = await store.verify();
        const bad = results.filter((r) => r.problem);
        if (bad.length > 0) throw new Error(bad.map((r) => r.problem).join('; '));
        return `${store.dir}: ${results.length === 0 ? 'empty' : `${results.length} models, sha256 intact (${results.map((r) => r.name).join(', ')})`}`;
      },
      `face-liveness models remove NAME, then install it again (store: ${store.dir}; FACE_LIVENESS_HOME moves it)`,
    ),
  );
  const res10 = await attempt(
    'res10 SSD',
    false,
    async () => {
      const entry = await store.get(RES10_MODEL_NAME);
      if (!entry) throw new Error('not installed: BlazeFace detects faces instead');
      return `${store.dir}/${entry.file}`;
    },
    RES10_INSTALL_HINT,
  );
  checks.push(res10);
  checks.push(
    await attempt(
      'BlazeFace',
      !res10.ok,
      () => {
        const path = shippedBlazeFacePath('short');
        if (!existsSync(path)) throw new Error(`${path} is missing`);
        return `${path} (shipped)`;
      },
      'reinstall @face-liveness/face-detector',
    ),
  );
  checks.push(
    await attempt(
      'dlib 68 landmarks',
      true,
      () => resolveShapePredictor(undefined, store),
      `${APT} libdlib-data, or pass --shape-predictor FILE.dat`,
    ),
  );
  checks.push(
    await attempt(
      'LivenessNet',
      true,
      () => resolveLivenessModel(undefined, store),
      'reinstall @face-liveness/livenessnet',
    ),
  );
  checks.push(
    await attempt(
      'MiniFASNet',
      false,
      () => {
        const model = resolveMiniFasNet('minifasnet');
        return `${model.members.map((m) => m.path).join(', ')} (the default classifier: LivenessNet + MiniFASNet)`;
      },
      `without it the default classifier is LivenessNet alone; put Silent-Face's ONNX models in ${miniFasNetDir()} or set FACE_LIVENESS_MINIFASNET_DIR (the published @face-liveness/minifasnet carries them)`,
    ),
  );
  checks.push(
    await attempt(
      'tfjs backend',
      true,
      async () => {
        await selectBackend();
        const node = installed('@tensorflow/tfjs-node')
          ? ''
          : ' (npm install @tensorflow/tfjs-node for native speed)';
        return `${describeBackend()}${node}`;
      },
      'reinstall @face-liveness/livenessnet (it brings the wasm and cpu backends)',
    ),
  );
  checks.push(optionalPackage('annotated video', ['@napi-rs/canvas'], 'demo/annotated videos and plots'));
  checks.push(optionalPackage('training', ['@tensorflow/tfjs-layers'], 'train, evaluate and Keras import'));
  checks.push(optionalPackage('Keras import', ['h5wasm'], 'models import-keras'));
  checks.push(
    optionalPackage('res10 conversion', ['onnx-proto', 'protobufjs'], 'models install/convert res10'),
  );
  return checks;
}

/** `face-liveness doctor`: what is installed, what is missing and how to fix it. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check what is installed and what is missing, each with its fix; exit 0 only when `analyze` can run',
    )
    .action(async () => {
      const checks = await doctorChecks();
      for (const c of checks) {
        const mark = c.ok ? 'ok' : c.needed ? 'MISSING' : 'optional';
        process.stdout.write(`${mark.padEnd(9)}${c.what.padEnd(19)}${c.detail}\n`);
        if (!c.ok && c.fix) process.stdout.write(`${''.padEnd(28)}fix: ${c.fix}\n`);
      }
      const blocking = checks.filter((c) => c.needed && !c.ok);
      if (blocking.length > 0) {
        throw new FaceLivenessError(
          'ERR_NOT_READY',
          `the default job cannot run: fix ${blocking.map((c) => c.what).join(', ')}`,
        );
      }
      process.stdout.write('ready: `face-liveness analyze VIDEO` can run\n');
    });
}
