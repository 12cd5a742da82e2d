import type { Command } from 'commander';
import { engineFlags } from '../options/engine.js';
import { addFlags } from '../options/flag.js';
import { fps, maxWidth } from '../options/input.js';
import { json, jsonl, quiet, report, verbose } from '../options/output.js';
import { sessionFlags } from '../options/session.js';
import { lazy } from './lazy.js';

/** `face-liveness analyze`: one verdict per face track of each input, with one engine for all of them. */
export function registerAnalyze(program: Command): void {
  const cmd = program
    .command('analyze')
    .description('Judge the faces of videos and images: one verdict per face track, per input')
    .argument('<inputs...>', 'video files, image files or cameras (0, /dev/video0)');
  addFlags(cmd, [
    ...engineFlags(),
    ...sessionFlags(),
    fps(),
    maxWidth(),
    json('one line per input, {"input","verdict","kind","frames","fps",...,"tracks":[...]}'),
    jsonl(
      '{"input","frame":{...}} per frame, then the --json line of the input; an interrupted run keeps what it did',
    ),
    quiet(),
    report(),
    verbose(),
  ]).action(lazy(() => import('../actions/analyze.js')));
}
