import type { ChallengeAction } from './actions.js';
import type { FaceSample, NeutralPose } from './neutral.js';
import type { ResolvedChallengeOptions } from './options.js';

/** The actions a pose measures (a blink is counted by the session's blink detector instead). */
export type PoseAction = Exclude<ChallengeAction, 'blink'>;

const POSE_ACTIONS: readonly PoseAction[] = [
  'turn-left',
  'turn-right',
  'look-up',
  'open-mouth',
  'move-closer',
];

/** An action's signal relative to neutral, the level that starts it and the level under which it has ended. */
interface Rule {
  value(s: FaceSample, n: NeutralPose): number | undefined;
  on: number;
  off: number;
}

function rules(o: ResolvedChallengeOptions): Record<PoseAction, Rule> {
  // In unmirrored frames the person's own left is the image's right: a turn to their left raises yaw.
  const left = o.mirrored ? -1 : 1;
  const diff = (a: number | undefined, b: number) =>
    a === undefined || !Number.isFinite(b) ? undefined : a - b;
  return {
    'turn-left': {
      value: (s, n) => {
        const d = diff(s.yaw, n.yaw);
        return d === undefined ? d : left * d;
      },
      on: o.turnDegrees,
      off: o.turnDegrees / 2,
    },
    'turn-right': {
      value: (s, n) => {
        const d = diff(s.yaw, n.yaw);
        return d === undefined ? d : -left * d;
      },
      on: o.turnDegrees,
      off: o.turnDegrees / 2,
    },
    'look-up': { value: (s, n) => diff(s.pitch, n.pitch), on: o.lookUpDegrees, off: o.lookUpDegrees / 2 },
    'open-mouth': { value: (s, n) => diff(s.mar, n.mar), on: o.mouthOpenMargin, off: o.mouthCloseMargin },
    'move-closer': {
      value: (s, n) => (n.size > 0 ? s.size / n.size : undefined),
      on: o.closerRatio,
      off: 1 + (o.closerRatio - 1) / 2,
    },
  };
}

interface State {
  /** In the action (past `on`, not yet back under `off`): hysteresis, as the blink detector's. */
  on: boolean;
  /** Back under `off` at least once since the step began: only an action begun in the step counts. */
  armed: boolean;
  /** Start of the current armed stretch in the action. */
  since?: number;
}

/**
 * Tells, frame by frame, how long each pose action has been held since it began within the
 * current step. An action still held from an earlier step does not count until the person has
 * come back from it (so a held pose cannot answer two steps, and being still turned from the
 * last step is not a wrong action).
 */
export class ActionMeter {
  private readonly rules: Record<PoseAction, Rule>;
  private readonly states = new Map<PoseAction, State>(
    POSE_ACTIONS.map((a) => [a, { on: false, armed: true }]),
  );

  constructor(
    private readonly neutral: NeutralPose,
    options: ResolvedChallengeOptions,
  ) {
    this.rules = rules(options);
  }

  /** A new step begins: actions being held now must be let go of first. */
  newStep(): void {
    for (const s of this.states.values()) {
      s.armed = !s.on;
      s.since = undefined;
    }
  }

  /** A frame without the face: no action holds across it. */
  interrupt(): void {
    for (const s of this.states.values()) s.since = undefined;
  }

  /** Feeds one usable frame; returns, per action begun in this step and held now, for how long (ms). */
  update(sample: FaceSample): Map<PoseAction, number> {
    const held = new Map<PoseAction, number>();
    for (const action of POSE_ACTIONS) {
      const rule = this.rules[action];
      const state = this.states.get(action) as State;
      const v = rule.value(sample, this.neutral);
      if (v === undefined) continue;
      if (state.on && v < rule.off) state.on = false;
      else if (!state.on && v >= rule.on) state.on = true;
      if (!state.on) {
        state.armed = true;
        state.since = undefined;
      } else if (state.armed) {
        state.since ??= sample.timestampMs;
        held.set(action, sample.timestampMs - state.since);
      }
    }
    return held;
  }
}
