import { InvalidArgumentError } from 'commander';
import { Flag } from './flag.js';

const GROUP = 'Challenge:';
const flag = (flags: string, description: string) => new Flag(flags, description).helpGroup(GROUP);

// The pipeline's challenge actions and their short spellings, copied so that defining the flags
// loads no library; test/challenge-command.test.ts keeps them equal to the pipeline's own.
export const CHALLENGE_ACTIONS = [
  'turn-left',
  'turn-right',
  'look-up',
  'blink',
  'open-mouth',
  'move-closer',
] as const;
export type ChallengeActionName = (typeof CHALLENGE_ACTIONS)[number];
export const CHALLENGE_ALIASES: Readonly<Record<string, ChallengeActionName>> = {
  left: 'turn-left',
  right: 'turn-right',
  up: 'look-up',
  mouth: 'open-mouth',
  closer: 'move-closer',
};

// A bad value here is a usage mistake (exit code 2, with commander's "option ... is invalid").
function steps(value: string): ChallengeActionName[] {
  const words = value
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  if (words.length === 0) throw new InvalidArgumentError('give at least one action');
  return words.map((word) => {
    const action = (CHALLENGE_ACTIONS as readonly string[]).includes(word)
      ? (word as ChallengeActionName)
      : CHALLENGE_ALIASES[word];
    if (!action) {
      throw new InvalidArgumentError(
        `unknown action '${word}'; use ${CHALLENGE_ACTIONS.join(', ')} (or ${Object.keys(CHALLENGE_ALIASES).join(', ')})`,
      );
    }
    return action;
  });
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && Number.isFinite(n))) {
    throw new InvalidArgumentError('must be a positive number of milliseconds');
  }
  return n;
}

export const challengeSteps = () =>
  flag(
    '--steps <list>',
    `the steps, in order, comma-separated: ${CHALLENGE_ACTIONS.join(', ')} (or left, right, up, mouth, closer); default: drawn at random`,
  ).argParser(steps);

export const challengeCount = () =>
  flag('--count <n>', 'how many random steps (without --steps): 2 to 4').argParser((value: string) => {
    const n = Number(value);
    if (!(Number.isInteger(n) && n >= 2 && n <= 4)) throw new InvalidArgumentError('must be 2, 3 or 4');
    return n;
  });

export const challengeSeed = () =>
  flag('--seed <value>', 'fix the random draw of the steps (an integer or any text)').argParser(
    (value: string) => (/^-?\d{1,15}$/.test(value) ? Number(value) : value),
  );

export const stepTimeout = () =>
  flag('--step-timeout <ms>', 'time to do each step, from when it is asked (default 5000)').argParser(
    milliseconds,
  );

export const faceTimeout = () =>
  flag(
    '--face-timeout <ms>',
    'time to show a usable face, facing the camera, before the first step (default 10000)',
  ).argParser(milliseconds);

export const mirrored = () =>
  flag(
    '--mirrored',
    'the frames are mirrored (a selfie preview flipped left to right): turns are judged the other way',
  );

/** The challenge's own flags. */
export const challengeFlags = () => [
  challengeSteps(),
  challengeCount(),
  challengeSeed(),
  stepTimeout(),
  faceTimeout(),
  mirrored(),
];

/** Flags of a challenge, as parsed. */
export interface ChallengeFlags {
  steps?: ChallengeActionName[];
  count?: number;
  seed?: number | string;
  stepTimeout?: number;
  faceTimeout?: number;
  mirrored?: boolean;
}
