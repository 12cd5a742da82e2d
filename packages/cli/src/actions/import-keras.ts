import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidInputError, ModelStore, sha256File } from '@face-liveness/core';
import { LIVENESS_MODEL_NAME, type LivenessMetadata, selectBackend } from '@face-liveness/livenessnet';
import { importKerasModel, saveLivenessModel } from '@face-liveness/livenessnet/keras';
import type { ImportFlags } from '../options/keras-import.js';

/** A Keras LivenessNet saved as a model directory: `--out DIR`, or into the store with `--install [NAME]`. */
export async function importKeras(
  file: string,
  flags: ImportFlags,
): Promise<{ dir: string; storeName?: string; metadata: LivenessMetadata }> {
  if ((flags.out === undefined) === (flags.install === undefined)) {
    throw new InvalidInputError('give either --out DIR or --install [NAME]');
  }
  const store = new ModelStore();
  const name = typeof flags.install === 'string' ? flags.install : LIVENESS_MODEL_NAME;
  const dir = flags.out !== undefined ? resolve(flags.out) : join(store.dir, name);
  if (existsSync(dir) && !flags.force)
    throw new InvalidInputError(`${dir} exists; pass --force to replace it`);
  await selectBackend();
  const { model, metadata } = await importKerasModel(resolve(file), {
    channelOrder: flags.channelOrder,
    classNames: flags.classes.split(',').map((c) => c.trim()),
    threshold: flags.threshold,
  });
  try {
    await rm(dir, { recursive: true, force: true });
    await saveLivenessModel(model, dir, metadata);
  } finally {
    model.dispose();
  }
  if (flags.install === undefined) return { dir, metadata };
  await store.record({
    name,
    file: name,
    sha256: await sha256File(join(dir, 'model.json')),
    source: `converted from ${resolve(file)}`,
    installedAt: new Date().toISOString(),
  });
  return { dir, storeName: name, metadata };
}

export async function action(file: string, flags: ImportFlags): Promise<void> {
  const { dir, storeName, metadata } = await importKeras(file, flags);
  const { width, height } = metadata.inputSize;
  process.stdout.write(
    `imported ${resolve(file)} -> ${dir}${storeName ? ` (store name ${storeName})` : ''}: ` +
      `${metadata.architecture}, ${width}x${height} ${metadata.channelOrder}, classes ${metadata.classNames.join(',')}\n`,
  );
}
