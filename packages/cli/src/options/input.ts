import { Flag, POSITIVE, POSITIVE_INTEGER } from './flag.js';

const GROUP = 'Input:';
const flag = (flags: string, description: string, originals?: string[]) =>
  new Flag(flags, description, originals).helpGroup(GROUP);

/** demo: `-v` as in the original demo.py. */
export const videoFile = () =>
  flag('-v, --video-file <file|camera>', 'video file, or a camera: 0, 1... or /dev/videoN', [
    '--video_file',
  ]).default('0');

/** train: `-d` as in the original train_liveness.py (demo's `-d` is its detector). */
export const trainDataset = () =>
  flag('-d, --train-dataset <dir>', 'training data: real/ and fake/ subfolders (nested folders allowed)', [
    '--train_dataset',
  ]).makeOptionMandatory();

export const valDataset = () =>
  flag('--val-dataset <dir>', 'validation data: real/ and fake/ subfolders (nested folders allowed)', [
    '-dv',
    '--dv',
    '--val_dataset',
  ]).makeOptionMandatory();

export const fps = () => flag('--fps <n>', 'resample videos to this frame rate').number(POSITIVE);

export const maxWidth = () =>
  flag('--max-width <px>', 'downscale wider videos to this width').number(POSITIVE_INTEGER);

export const every = () =>
  flag('--every <n>', 'keep every n-th video frame (the original gather_examples.py --skip)')
    .number(POSITIVE_INTEGER)
    .default(1);

export const strict = () =>
  flag(
    '--strict',
    'stop at the first unreadable image or frame without a face (default: skip it with a warning)',
  );

export const attackTypeFrom = () =>
  flag('--attack-type-from <source>', 'attack type of fake/ images: name (keywords in the path) or subfolder')
    .oneOf(['name', 'subfolder'])
    .default('name');

export const bonaFideFolder = () =>
  flag(
    '--in <dir>',
    'folder of bona fide face images (searched recursively), e.g. face crops',
  ).makeOptionMandatory();

export const boxes = () =>
  flag(
    '--boxes <file>',
    'JSON lines {"image", "box": [x1, y1, x2, y2]} (dlib detector box convention) instead of detecting faces',
  );
