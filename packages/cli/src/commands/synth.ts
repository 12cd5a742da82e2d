import { InvalidInputError } from '@face-liveness/core';
import { type AttackKind, isAttackKind, synthesizeDirectory } from '@face-liveness/livenessnet/synth';
import type { Command } from 'commander';

function integer(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new InvalidInputError(`${option} must be an integer, got "${value}"`);
    return n;
  };
}

/** `face-liveness synth`: synthetic print and replay attacks from a folder of bona fide faces. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description(
      'Make synthetic presentation attacks (printed photo, screen replay) from bona fide face images, for training',
    )
    .requiredOption(
      '-i, --in <dir>',
      'folder of bona fide face images (searched recursively), e.g. face crops',
    )
    .requiredOption(
      '-o, --out <dir>',
      'folder for the attacks (PNG, sub-folders mirrored); existing files are kept',
    )
    .option('-k, --kind <kind>', 'print, replay or both', 'both')
    .option('-n, --per-image <n>', 'attacks per image and kind', integer('--per-image'), 1)
    .option('-s, --seed <n>', 'random seed (outputs are reproducible from it)', integer('--seed'), 0)
    .action(async (options: { in: string; out: string; kind: string; perImage: number; seed: number }) => {
      if (options.kind !== 'both' && !isAttackKind(options.kind)) {
        throw new InvalidInputError(`--kind "${options.kind}" is not one of print, replay, both`);
      }
      const kinds: AttackKind[] =
        options.kind === 'both' ? ['print', 'replay'] : [options.kind as AttackKind];
      const summary = await synthesizeDirectory({
        inDir: options.in,
        outDir: options.out,
        kinds,
        perImage: options.perImage,
        seed: options.seed,
        onProgress: (done, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\rsynth: ${done}/${total} images`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const kept = summary.skipped.length ? `, ${summary.skipped.length} existing files kept` : '';
      process.stdout.write(
        `${summary.written.length} attacks written to ${options.out} from ${summary.inputs} images${kept}\n`,
      );
    });
}
