import { resolve } from 'node:path';
import { FaceLivenessError, InvalidInputError, type ModelEntry, ModelStore } from '@face-liveness/core';
import {
  BLAZEFACE_VARIANTS,
  RES10_INSTALL_HINT,
  RES10_INT8_MODEL_NAME,
  RES10_MODEL_NAME,
} from '@face-liveness/face-detector';
import { installBlazeFace, installRes10 } from '@face-liveness/face-detector/convert';
import type { Res10SourceFlags } from '../options/conversion.js';
import { INSTALLABLE_MODELS } from '../options/names.js';
import { convertOptions, convertRes10, namesRes10Files, RES10_SOURCES, res10Files } from './res10.js';

type InstallFlags = Res10SourceFlags & { fromUrl?: boolean };

/** Installers by model name; each takes the parsed flags of `models install`. */
const installers: Record<
  (typeof INSTALLABLE_MODELS)[number],
  (flags: InstallFlags, store: ModelStore) => Promise<ModelEntry>
> = {
  res10: (flags, store) =>
    installRes10(flags.fromUrl ? { from: 'url' } : res10Files(flags), store, convertOptions(flags)),
  // Convert the .tflite files npm installed with @mediapipe/face_detection: no files, no download.
  blazeface: (_flags, store) => installBlazeFace(store, 'short'),
  'blazeface-full': (_flags, store) => installBlazeFace(store, 'full'),
};

function describeEntry(entry: ModelEntry, store: ModelStore): string {
  return `${entry.name}\t${resolve(store.dir, entry.file)}\tsha256 ${entry.sha256.slice(0, 16)}…\t${entry.installedAt}\t${entry.source}`;
}

/** How to install the model stored as `name` again, for the models this command installs. */
function howToGet(name: string): string {
  if (name === RES10_MODEL_NAME) return RES10_INSTALL_HINT;
  if (name === RES10_INT8_MODEL_NAME)
    return RES10_INSTALL_HINT.replace('res10 ', 'res10 --int8 --calibration IMAGE_DIR ');
  if (name === BLAZEFACE_VARIANTS.short.modelName) return 'run `face-liveness models install blazeface`';
  if (name === BLAZEFACE_VARIANTS.full.modelName) return 'run `face-liveness models install blazeface-full`';
  return '';
}

export async function convert(flags: Res10SourceFlags & { out: string; force?: boolean }): Promise<void> {
  const { file, bytes } = await convertRes10(flags);
  process.stdout.write(`wrote ${file} (${(bytes / 1e6).toFixed(1)} MB)\n`);
}

export async function install(name: string, flags: InstallFlags): Promise<void> {
  const installer = installers[name as keyof typeof installers];
  if (!installer) {
    throw new InvalidInputError(`unknown model "${name}"; installable: ${INSTALLABLE_MODELS.join(', ')}`);
  }
  if (name === 'res10' && !flags.fromUrl && !namesRes10Files(flags)) {
    throw new InvalidInputError(`models install res10: ${RES10_SOURCES}; or, when online, --from-url`);
  }
  const store = new ModelStore();
  process.stdout.write(`installed ${describeEntry(await installer(flags, store), store)}\n`);
}

export async function list(): Promise<void> {
  const store = new ModelStore();
  const entries = await store.list();
  if (entries.length === 0) {
    process.stdout.write(
      `no models installed in ${store.dir}; run \`face-liveness models install res10 ...\` ` +
        '(BlazeFace needs nothing: it ships with the face-detector package)\n',
    );
    return;
  }
  for (const entry of entries) process.stdout.write(`${describeEntry(entry, store)}\n`);
}

export async function verify(names: string[]): Promise<void> {
  const store = new ModelStore();
  const checks = await store.verify(names.length > 0 ? names : undefined, howToGet);
  if (checks.length === 0) {
    process.stdout.write(`no models installed in ${store.dir}\n`);
    return;
  }
  for (const check of checks) {
    process.stdout.write(check.problem ? `FAILED\t${check.problem}\n` : `ok\t${check.name}\t${check.path}\n`);
  }
  const failed = checks.filter((c) => c.problem).length;
  if (failed > 0) {
    throw new FaceLivenessError(
      'ERR_MODEL_INTEGRITY',
      `${failed} of ${checks.length} models failed verification`,
    );
  }
}

export async function remove(names: string[]): Promise<void> {
  const store = new ModelStore();
  for (const name of names) {
    await store.remove(name);
    process.stdout.write(`removed ${name} from ${store.dir}/manifest.json\n`);
  }
}
