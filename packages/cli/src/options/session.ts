import type { Rotation } from '@face-liveness/core';
import type { FusionPolicy, SessionOptions } from '@face-liveness/pipeline';
import type { Option } from 'commander';
import { threshold } from './classifier.js';
import { Flag, POSITIVE_INTEGER } from './flag.js';
import { FUSION_POLICIES, ORIENTATIONS } from './names.js';

const GROUP = 'Verdict over frames:';
const flag = (flags: string, description: string) => new Flag(flags, description).helpGroup(GROUP);

export const policy = () =>
  flag('--policy <name>', `verdict rule: ${FUSION_POLICIES.join(', ')}`)
    .oneOf(FUSION_POLICIES)
    .default('fused');

export const detectEvery = () =>
  flag('--detect-every <n>', 'run the face detector every n-th frame, track faces in between')
    .number(POSITIVE_INTEGER)
    .default(1);

export const classifyEvery = () =>
  flag(
    '--classify-every <n>',
    'classify each face on every n-th frame of its track (the verdict uses the mean)',
  )
    .number(POSITIVE_INTEGER)
    .default(1);

export const orientation = () =>
  flag(
    '--orientation <degrees>',
    'how the input is turned: auto (try each quarter turn until faces are found upright) or 0, 90, 180, 270 (turn it this far clockwise)',
  )
    .oneOf(ORIENTATIONS)
    .default('auto');

export const qualityGate = () =>
  flag(
    '--quality-gate',
    'keep the scores of faces that fail a quality check (too small, blurred, too dark or bright, turned away) out of the verdict; a face that fails in every frame is undecided',
  );

/** The flags of a session: how frames become a verdict. */
export const sessionFlags = (): Option[] => [
  threshold(),
  policy(),
  detectEvery(),
  classifyEvery(),
  orientation(),
  qualityGate(),
];

/** Flags of {@link sessionOptions}. */
export interface SessionFlags {
  policy: FusionPolicy;
  detectEvery: number;
  classifyEvery: number;
  threshold?: number;
  orientation: (typeof ORIENTATIONS)[number];
  qualityGate?: boolean;
}

export function sessionOptions(flags: SessionFlags): SessionOptions {
  return {
    policy: flags.policy,
    threshold: flags.threshold,
    detectEvery: flags.detectEvery,
    classifyEvery: flags.classifyEvery,
    orientation: flags.orientation === 'auto' ? 'auto' : (Number(flags.orientation) as Rotation),
    ...(flags.qualityGate ? { qualityGate: true } : {}),
  };
}
