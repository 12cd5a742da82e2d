import type { Command } from 'commander';
import { challengeFlags } from '../options/challenge.js';
import { engineFlags } from '../options/engine.js';
import { addFlags } from '../options/flag.js';
import { json, quiet, verbose } from '../options/output.js';
import { sessionFlags } from '../options/session.js';
import { lazy } from './lazy.js';

/** `face-liveness challenge`: an active liveness check (the asked steps, in order) on a video or a camera. */
export function registerChallenge(program: Command): void {
  const cmd = program
    .command('challenge')
    .description(
      'Active liveness: check that the face in a video or camera does the asked steps (turn left, blink, ...) in order, each in time, and is judged live; exit 0 when passed, 1 when not',
    )
    .argument('<input>', 'video file or camera (0, /dev/video0)');
  addFlags(cmd, [
    ...challengeFlags(),
    ...engineFlags(),
    ...sessionFlags(),
    json(
      'one object, {"input","passed","steps":[{"action","outcome","startedMs","doneMs"}],"reasons","passive",...}',
    ),
    quiet(),
    verbose(),
  ]).action(lazy(() => import('../actions/challenge.js')));
}
