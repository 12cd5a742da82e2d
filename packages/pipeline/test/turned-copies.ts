import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { findFfmpeg, type Rotation } from '@face-liveness/core';

/** A turned copy of a clip: its name, the ffmpeg arguments that make it, and the rotation that undoes it. */
export interface TurnedCopy {
  name: string;
  args: readonly string[];
  upright: Rotation;
}

const reencode = ['-c:v', 'libx264', '-preset', 'veryfast'];

export const TURNED_COPIES: readonly TurnedCopy[] = [
  { name: 'turned 90 degrees (transpose=1)', args: ['-vf', 'transpose=1', ...reencode], upright: 270 },
  { name: 'turned 270 degrees (transpose=2)', args: ['-vf', 'transpose=2', ...reencode], upright: 90 },
  { name: 'turned 180 degrees (hflip,vflip)', args: ['-vf', 'hflip,vflip', ...reencode], upright: 180 },
  // Upright pixels with a phone's flag: ffmpeg applies it when decoding, so the frames arrive turned.
  { name: 'flagged rotate=90', args: ['-c', 'copy', '-metadata:s:v:0', 'rotate=90'], upright: 90 },
];

/** Writes `copy` of `input` into `dir` (its first `frames` frames, when given) and returns its path. */
export function makeTurnedCopy(input: string, copy: TurnedCopy, dir: string, frames?: number): string {
  const out = join(dir, `${TURNED_COPIES.indexOf(copy)}-${frames ?? 'all'}.mp4`);
  const cut = frames === undefined ? [] : ['-frames:v', String(frames)];
  execFileSync(findFfmpeg(), ['-v', 'error', '-y', '-i', input, ...cut, ...copy.args, out]);
  return out;
}
