import type { Command } from 'commander';
import { confidence, detectorKind, detectorModel } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { shapePredictor } from '../options/landmarks.js';
import { json, quiet, verbose } from '../options/output.js';
import { lazy } from './lazy.js';

/**
 * `face-liveness quality`: whether each image is fit for a liveness check (one face, large, sharp,
 * well exposed, facing the camera, eyes open), and what to do about each problem.
 */
export function registerQuality(program: Command): void {
  const cmd = program
    .command('quality')
    .description(
      'Check that images are fit for a liveness check: face count, size, sharpness, exposure, pose, eyes',
    )
    .argument('<images...>', 'image files (JPEG, PNG, WebP, TIFF, ...)');
  addFlags(cmd, [
    shapePredictor(),
    detectorKind(),
    detectorModel(),
    confidence(),
    json(
      'one line per image, {"image","width","height","ok","frame":[checks],"faces":[{"box","ok","pose","checks"}]}',
    ),
    quiet(),
    verbose(),
  ]).action(lazy(() => import('../actions/quality.js')));
}
