import type { Command } from 'commander';
import { margin } from '../options/classifier.js';
import { confidence, detectorKind, detectorModel } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { every } from '../options/input.js';
import { out, quiet, verbose } from '../options/output.js';
import { lazy } from './lazy.js';

/** `face-liveness extract`: the original's step 1, face crops out of images and videos. */
export function registerExtract(program: Command): void {
  const cmd = program
    .command('extract')
    .description(
      'Write the face crop of each image and of every n-th video frame (the original gather_examples.py)',
    )
    .argument('<inputs...>', 'images, videos, or folders of them (mirrored under --out)');
  addFlags(cmd, [
    out(
      'dir',
      'folder for the crops (PNG); existing files are kept, never overwritten',
    ).makeOptionMandatory(),
    every(),
    margin(),
    detectorKind(),
    detectorModel(),
    confidence(),
    quiet(),
    verbose(),
  ]).action(lazy(() => import('../actions/extract.js')));
}
