import { type AttackKind, synthesizeDirectory } from '@face-liveness/livenessnet/synth';
import type { Command } from 'commander';
import { addFlags } from '../options/flag.js';
import { bonaFideFolder } from '../options/input.js';
import { out } from '../options/output.js';
import { attackKind, perImage } from '../options/synth.js';
import { seed } from '../options/training.js';

interface SynthFlags {
  in: string;
  out: string;
  kind: AttackKind | 'both';
  perImage: number;
  seed?: number;
}

/** `face-liveness synth`: synthetic print and replay attacks from a folder of bona fide faces. */
export function registerSynth(program: Command): void {
  const cmd = program
    .command('synth')
    .description(
      'Make synthetic presentation attacks (printed photo, screen replay) from bona fide face images, for training',
    );
  addFlags(cmd, [
    bonaFideFolder(),
    out(
      'dir',
      'folder for the attacks (PNG, sub-folders mirrored); existing files are kept',
    ).makeOptionMandatory(),
    attackKind(),
    perImage(),
    seed(),
  ]).action(async (flags: SynthFlags) => {
    const summary = await synthesizeDirectory({
      inDir: flags.in,
      outDir: flags.out,
      kinds: flags.kind === 'both' ? undefined : [flags.kind],
      perImage: flags.perImage,
      seed: flags.seed,
      onProgress: (done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\rsynth: ${done}/${total} images`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const kept = summary.skipped.length ? `, ${summary.skipped.length} existing files kept` : '';
    process.stdout.write(
      `${summary.written.length} attacks written to ${flags.out} from ${summary.inputs} images${kept}\n`,
    );
  });
}
