import type { ChallengeAction } from './actions.js';
import type { FaceSample, NeutralPose } from './neutral.js';
import type { ResolvedChallengeOptions } from './options.js';

/** The actions a pose measures (a blink is counted by the session's blink detector instead). */
export type PoseAction = Exclude<ChallengeAction, 'blink'>;

export const POSE_ACTIONS: readonly PoseAction[] = [
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
  /** Start of the part of that stretch with every other pose action released. */
  aloneSince?: number;
}

/** How long each pose action begun in the step has been held, up to a frame. */
export interface Holds {
  /** Per action in it now (past `on`, not yet back under `off`): for how long (ms). */
  held: Map<PoseAction, number>;
  /**
   * Per such action: for how long (ms) every other pose action has stayed under its `off` level
   * too. An asked action must be held alone: a compound move (turn, look up, open the mouth and
   * lean in at once) must not answer whichever of them is asked.
   */
  alone: Map<PoseAction, number>;
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
      s.aloneSince = undefined;
    }
  }

  /** A frame without the face: no action holds across it. */
  interrupt(): void {
    for (const s of this.states.values()) {
      s.since = undefined;
      s.aloneSince = undefined;
    }
  }

  /** Feeds one usable frame; returns the holds of the actions begun in this step and held now. */
  update(sample: FaceSample): Holds {
    const values = new Map<PoseAction, number | undefined>(
      POSE_ACTIONS.map((a) => [a, this.rules[a].value(sample, this.neutral)]),
    );
    // Past `off`, not only `on`: an action half done still keeps another from being done alone.
    const engaged = POSE_ACTIONS.filter((a) => (values.get(a) ?? Number.NaN) >= this.rules[a].off);
    const holds: Holds = { held: new Map(), alone: new Map() };
    for (const action of POSE_ACTIONS) {
      const rule = this.rules[action];
      const state = this.states.get(action) as State;
      const v = values.get(action);
      if (v === undefined) continue;
      if (state.on && v < rule.off) state.on = false;
      else if (!state.on && v >= rule.on) state.on = true;
      if (!state.on) {
        state.armed = true;
        state.since = undefined;
        state.aloneSince = undefined;
      } else if (state.armed) {
        const t = sample.timestampMs;
        state.since ??= t;
        holds.held.set(action, t - state.since);
        if (engaged.every((a) => a === action)) {
          state.aloneSince ??= t;
          holds.alone.set(action, t - state.aloneSince);
        } else {
          state.aloneSince = undefined;
        }
      }
    }
    return holds;
  }
}
