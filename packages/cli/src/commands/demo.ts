import type { Command } from 'commander';
import { engineFlags } from '../options/engine.js';
import { addFlags } from '../options/flag.js';
import { videoFile } from '../options/input.js';
import { frameRate, json, landmarksOverlay, out, quiet, verbose } from '../options/output.js';
import { sessionFlags } from '../options/session.js';
import { lazy } from './lazy.js';

/** `face-liveness demo`: the original demo.py, its flags and its annotated video. */
export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .description(
      "The original demo: detect faces in a video or a camera, judge each live or fake, and write the annotated video (boxes, 'real: 0.98' / 'fake: 0.97', track ids, blinks, FPS)",
    );
  addFlags(cmd, [
    videoFile(),
    out('file.mp4', 'write the annotated video here (H.264 MP4); nothing is written without it'),
    frameRate(),
    ...engineFlags(true),
    ...sessionFlags(),
    landmarksOverlay(),
    quiet(),
    json('the summary as one line, {"input","verdict","kind","frames",...,"tracks":[...]}'),
    verbose(),
  ]).action(lazy(() => import('../actions/demo.js')));
}
