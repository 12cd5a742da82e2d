import type { Command } from 'commander';
import { classifierFlags } from '../options/classifier.js';
import { addFlags } from '../options/flag.js';
import { json, quiet, verbose } from '../options/output.js';
import { lazy } from './lazy.js';

/** `face-liveness classify`: P(live) of face crops, or of every face found with --detect. */
export function registerClassify(program: Command): void {
  const cmd = program
    .command('classify')
    .description('Print P(live) of each image (a face crop), or of each face found in it with --detect')
    .argument('<images...>', 'image files');
  addFlags(cmd, [
    ...classifierFlags(),
    json('one line per image, {"image","score"} or, with --detect, {"image","faces":[{"box","score"}]}'),
    quiet(),
    verbose(),
  ]).action(lazy(() => import('../actions/classify.js')));
}
