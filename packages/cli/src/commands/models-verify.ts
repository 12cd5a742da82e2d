import { FaceLivenessError, ModelStore } from '@face-liveness/core';
import {
  BLAZEFACE_VARIANTS,
  RES10_INSTALL_HINT,
  RES10_INT8_MODEL_NAME,
  RES10_MODEL_NAME,
} from '@face-liveness/face-detector';
import type { Command } from 'commander';

/** How to install the model stored as `name` again, for the models this command installs. */
function howToGet(name: string): string {
  if (name === RES10_MODEL_NAME) return RES10_INSTALL_HINT;
  if (name === RES10_INT8_MODEL_NAME)
    return RES10_INSTALL_HINT.replace('res10 ', 'res10 --int8 --calibration IMAGE_DIR ');
  if (name === BLAZEFACE_VARIANTS.short.modelName) return 'run `face-liveness models install blazeface`';
  if (name === BLAZEFACE_VARIANTS.full.modelName) return 'run `face-liveness models install blazeface-full`';
  return '';
}

/** `models verify [names...]` and `models remove <names...>`: check the store, forget entries. */
export function addStoreCommands(models: Command): void {
  models
    .command('verify')
    .description('Check that the installed models are intact (sha256 of every file, read again)')
    .argument('[names...]', 'models to check (default: all)')
    .action(async (names: string[]) => {
      const store = new ModelStore();
      const checks = await store.verify(names.length > 0 ? names : undefined, howToGet);
      if (checks.length === 0) {
        process.stdout.write(`no models installed in ${store.dir}\n`);
        return;
      }
      for (const check of checks) {
        process.stdout.write(
          check.problem ? `FAILED\t${check.problem}\n` : `ok\t${check.name}\t${check.path}\n`,
        );
      }
      const failed = checks.filter((c) => c.problem).length;
      if (failed > 0) {
        throw new FaceLivenessError(
          'ERR_MODEL_INTEGRITY',
          `${failed} of ${checks.length} models failed verification`,
        );
      }
    });

  models
    .command('remove')
    .description('Forget installed models (their files stay in the store directory)')
    .argument('<names...>', 'models to forget')
    .action(async (names: string[]) => {
      const store = new ModelStore();
      for (const name of names) {
        await store.remove(name);
        process.stdout.write(`removed ${name} from ${store.dir}/manifest.json\n`);
      }
    });
}
