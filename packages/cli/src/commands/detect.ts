import type { Command } from 'commander';
import { confidence, detectorKind, detectorModel, int8, minFaceSize, threads } from '../options/detector.js';
import { addFlags } from '../options/flag.js';
import { json, quiet, verbose } from '../options/output.js';
import { lazy } from './lazy.js';

/** `face-liveness detect`: faces in images with res10 when installed, else BlazeFace (or the one asked for). */
export function registerDetect(program: Command): void {
  const cmd = program
    .command('detect')
    .description('Find faces in images: res10 SSD when installed, else BlazeFace (ONNX Runtime)')
    .argument('<images...>', 'image files (JPEG, PNG, WebP, TIFF, ...)');
  addFlags(cmd, [
    detectorKind(),
    detectorModel(),
    confidence(),
    minFaceSize(0),
    threads(),
    int8(),
    json('one line per image, {"image","width","height","faces":[{"box","score"}]}'),
    quiet(),
    verbose(),
  ]).action(lazy(() => import('../actions/detect.js')));
}
