import type { Verdict } from '../fusion.js';
import type { ChallengeAction, ChallengePrompt } from './actions.js';

/** Where a challenge is: finding a usable face (and its neutral pose), asking for steps, or finished. */
export type ChallengeStatus = 'waiting-face' | 'in-progress' | 'passed' | 'failed';

/** Why a challenge failed. */
export type ChallengeFailureCode =
  | 'wrong-action'
  | 'timeout'
  | 'face-lost'
  | 'face-swapped'
  | 'low-quality'
  | 'spoof'
  | 'no-face';

/** One step: its action and what became of it. */
export interface ChallengeStepResult {
  action: ChallengeAction;
  outcome: 'done' | 'failed' | 'pending' | 'not-reached';
  /** When the step was asked for (stream time, ms). */
  startedMs?: number;
  /** When it was done, or failed. */
  doneMs?: number;
}

/** One reason a challenge failed, with the step it happened in (0-based) when there is one. */
export interface ChallengeReason {
  code: ChallengeFailureCode;
  message: string;
  step?: number;
}

/** A sentence for the person in front of the camera, with a code for apps. */
export interface ChallengeFeedback {
  code: string;
  message: string;
}

/** What a challenge says after each frame: what to show the person now. */
export interface ChallengeProgress {
  status: ChallengeStatus;
  /** The current step (0-based); `steps.length` when all are done. */
  stepIndex: number;
  steps: ChallengeStepResult[];
  /** The current step's prompt while one is pending. */
  prompt?: ChallengePrompt;
  /** What keeps this frame from counting (its failed quality checks, or the challenge's own), to show live. */
  feedback: ChallengeFeedback[];
  /** Left in the current window (the face's window while waiting, the step's while in progress). */
  remainingMs?: number;
  /** Why it failed, once `status` is `failed`. */
  reasons: ChallengeReason[];
  /** The time of the last frame. */
  timestampMs: number;
}

/** The passive verdict of the challenged face over the whole challenge. */
export interface PassiveVerdict {
  verdict: Verdict;
  /** Mean P(live) of the face (NaN when never classified). */
  score: number;
  reason: string;
}

/** The end of a challenge: passed only when every step was done in order and the face is live. */
export interface ChallengeResult {
  passed: boolean;
  steps: ChallengeStepResult[];
  reasons: ChallengeReason[];
  passive: PassiveVerdict;
  /** The challenged face's track in the inner session. */
  trackId?: number;
  /** From the first frame to the last. */
  durationMs: number;
}
