import type { Command } from 'commander';
import { addFlags } from '../options/flag.js';
import { bonaFideFolder } from '../options/input.js';
import { out } from '../options/output.js';
import { attackKind, perImage } from '../options/synth.js';
import { seed } from '../options/training.js';
import { lazy } from './lazy.js';

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
  ]).action(lazy(() => import('../actions/synth.js')));
}
