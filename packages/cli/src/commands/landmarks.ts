import type { Command } from 'commander';
import { confidence, detectorKind, detectorModel } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { boxes } from '../options/input.js';
import { shapePredictor } from '../options/landmarks.js';
import { json, quiet, verbose } from '../options/output.js';
import { lazy } from './lazy.js';

/** `face-liveness landmarks`: dlib's 68 points for given boxes, or for the faces the detector finds. */
export function registerLandmarks(program: Command): void {
  const cmd = program
    .command('landmarks')
    .description("68 face landmarks with dlib's shape predictor (run in TypeScript)")
    .argument('[images...]', 'images to find faces in (without --boxes)');
  addFlags(cmd, [
    shapePredictor(),
    boxes(),
    detectorKind(),
    detectorModel(),
    confidence(),
    json('one line per face, {"image","box","points":[[x, y] x 68],"pose":{"yaw","pitch","roll"}}'),
    quiet(),
    verbose(),
  ]).action(lazy(() => import('../actions/landmarks.js')));
}
