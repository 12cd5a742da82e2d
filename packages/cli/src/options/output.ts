import { Flag, POSITIVE } from './flag.js';

const GROUP = 'Output:';
const flag = (flags: string, description: string, originals?: string[]) =>
  new Flag(flags, description, originals).helpGroup(GROUP);

/** `-o`: what the command writes (demo's annotated video, as the original's --out_video_path). */
export const out = (value: string, description: string) =>
  flag(`-o, --out <${value}>`, description, ['--out-video-path', '--out_video_path']);

export const json = (shape: string) => flag('--json', `print JSON: ${shape}`);

export const verbose = () => flag('--verbose', 'say on stderr which face detector runs and why');

export const quiet = () =>
  flag('--quiet', 'no progress on stderr (extract: also no line per crop, only the summary)');

export const jsonl = (shape: string) => flag('--jsonl', `stream JSON lines as the work goes: ${shape}`);

export const report = () =>
  flag(
    '--report <file.json>',
    'write every frame’s result (boxes, scores, landmarks, verdicts) to this file',
  );

export const frameRate = () =>
  flag(
    '-f, --frame-rate <fps>',
    'frame rate of the output video and of a camera (default: the input’s; 30 for a camera)',
    ['--frame_rate'],
  ).number(POSITIVE);

export const landmarksOverlay = () => flag('--landmarks-overlay', 'also draw the 68 landmarks');

export const evaluationResult = (whenAbsent: string) =>
  flag(
    '--evaluation-result <file>',
    `append the classification reports to this file (default: ${whenAbsent})`,
    ['-ev', '--ev', '--evaluation_result'],
  );

export const scores = () =>
  flag('--scores <jsonl>', 'write {"image","label","score"} per image (score = P(live))');

export const roc = () =>
  flag('--roc <png>', 'ROC plot to write (default: beside --scores FILE as FILE.roc.png, else none)');

export const noRoc = () => flag('--no-roc', 'no ROC plot, not even beside --scores');
