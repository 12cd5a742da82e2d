// Stitches a folder of NUAA frames (`ID_glasses_pos_session_picNo.jpg`) into an H.264 video, in
// the order their names give: glasses, position, session, then picture number.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFfmpeg } from '@face-liveness/core';

function order(a, b) {
  const x = a
    .replace(/\.jpg$/, '')
    .split('_')
    .slice(1)
    .map(Number);
  const y = b
    .replace(/\.jpg$/, '')
    .split('_')
    .slice(1)
    .map(Number);
  const i = x.findIndex((v, k) => v !== y[k]);
  return i < 0 ? 0 : x[i] - y[i];
}

/** Writes `out` (mp4, `fps` frames per second) from the .jpg frames in `dir`; returns the frame count. */
export function stitchFrames(dir, out, fps = 30) {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.jpg'))
    .sort(order);
  const list = `${out}.txt`;
  writeFileSync(list, names.map((n) => `file '${join(dir, n)}'\nduration ${1 / fps}`).join('\n'));
  execFileSync(findFfmpeg(), [
    '-v',
    'error',
    '-y',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    list,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '18',
    '-pix_fmt',
    'yuv420p',
    '-fps_mode',
    'cfr',
    '-r',
    String(fps),
    out,
  ]);
  return names.length;
}
