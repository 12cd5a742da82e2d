import { InvalidInputError } from '@face-liveness/core';

/**
 * What a challenge can ask of the person. Directions are the person's own (see
 * `ChallengeOptions.mirrored`): `turn-left` is a turn towards their own left shoulder.
 */
export type ChallengeAction = 'turn-left' | 'turn-right' | 'look-up' | 'blink' | 'open-mouth' | 'move-closer';

export const CHALLENGE_ACTIONS: readonly ChallengeAction[] = [
  'turn-left',
  'turn-right',
  'look-up',
  'blink',
  'open-mouth',
  'move-closer',
];

/** Short spellings accepted by {@link parseChallengeSteps} (the CLI's `--steps left,blink`). */
export const CHALLENGE_ALIASES: Readonly<Record<string, ChallengeAction>> = {
  left: 'turn-left',
  right: 'turn-right',
  up: 'look-up',
  mouth: 'open-mouth',
  closer: 'move-closer',
};

/** What the person is shown for a step. */
export interface ChallengePrompt {
  action: ChallengeAction;
  /** A sentence a person can follow. */
  text: string;
  /**
   * Where to point an arrow on a mirrored (selfie) preview, where the person's left is the
   * screen's left. An app that shows the camera unmirrored must flip `left` and `right`.
   */
  arrow?: 'left' | 'right' | 'up';
}

const PROMPTS: Record<ChallengeAction, Omit<ChallengePrompt, 'action'>> = {
  'turn-left': { text: 'Slowly turn your head to your left', arrow: 'left' },
  'turn-right': { text: 'Slowly turn your head to your right', arrow: 'right' },
  'look-up': { text: 'Tilt your head back and look up', arrow: 'up' },
  blink: { text: 'Blink once' },
  'open-mouth': { text: 'Open your mouth wide, then close it' },
  'move-closer': { text: 'Move your face closer to the camera' },
};

/** The prompt of an action. */
export function challengePrompt(action: ChallengeAction): ChallengePrompt {
  return { action, ...PROMPTS[action] };
}

/** True when `value` names an action (full names only). */
export function isChallengeAction(value: unknown): value is ChallengeAction {
  return CHALLENGE_ACTIONS.includes(value as ChallengeAction);
}

/**
 * Steps from a comma-separated list of actions or their aliases (`left,blink,mouth`).
 * @throws InvalidInputError naming `option` and the unknown word.
 */
export function parseChallengeSteps(text: string, option = 'steps'): ChallengeAction[] {
  const words = text
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  if (words.length === 0) throw new InvalidInputError(`${option} needs at least one action`);
  return words.map((word) => {
    const action = isChallengeAction(word) ? word : CHALLENGE_ALIASES[word];
    if (!action) {
      const aliases = Object.keys(CHALLENGE_ALIASES).join(', ');
      throw new InvalidInputError(
        `${option}: unknown action '${word}'; use ${CHALLENGE_ACTIONS.join(', ')} (or ${aliases})`,
      );
    }
    return action;
  });
}
