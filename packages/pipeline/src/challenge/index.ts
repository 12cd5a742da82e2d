export {
  CHALLENGE_ACTIONS,
  CHALLENGE_ALIASES,
  type ChallengeAction,
  type ChallengePrompt,
  challengePrompt,
  isChallengeAction,
  parseChallengeSteps,
} from './actions.js';
export { type DrawOptions, drawChallengeSteps, seededRandom } from './draw.js';
export { ACTION_QUALITY_CODES, type ChallengeFace, type ChallengeFrame } from './frame.js';
export { ChallengeMachine } from './machine.js';
export {
  CHALLENGE_DEFAULTS,
  type ChallengeOptions,
  type ChallengeThresholds,
  type ResolvedChallengeOptions,
  resolveChallengeOptions,
} from './options.js';
export { ChallengeSession } from './session.js';
export type {
  ChallengeFailureCode,
  ChallengeFeedback,
  ChallengeProgress,
  ChallengeReason,
  ChallengeResult,
  ChallengeStatus,
  ChallengeStepResult,
  PassiveVerdict,
} from './types.js';
