import { fileURLToPath } from 'node:url';
import { ModelStore } from '@face-liveness/core';

/** Model store key of the liveness model used when none is given. */
export const LIVENESS_MODEL_NAME = 'livenessnet';

/**
 * The default model trained by this project and shipped inside this package
 * (`models/default`, with its MODEL_CARD.md), so a fresh `npm install` works offline.
 */
export const BUNDLED_MODEL_DIR = fileURLToPath(new URL('../models/default', import.meta.url));

/**
 * The liveness model to load: `explicitPath` when given (it must exist), else the store's
 * `livenessnet` (a model you installed to replace the default), else the bundled default model.
 */
export async function resolveLivenessModel(explicitPath?: string, store = new ModelStore()): Promise<string> {
  return store.resolve(
    LIVENESS_MODEL_NAME,
    explicitPath,
    `the bundled default (${BUNDLED_MODEL_DIR}) is missing too: reinstall @face-liveness/livenessnet, pass a ` +
      'model directory, or install one with `face-liveness models import-keras FILE.h5 --install`',
    BUNDLED_MODEL_DIR,
  );
}
