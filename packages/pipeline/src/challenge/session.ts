import { type Frame, InvalidInputError } from '@face-liveness/core';
import type { SessionHost } from '../engine-types.js';
import type { LivenessSession } from '../session.js';
import type { ChallengeAction } from './actions.js';
import { ChallengeMachine } from './machine.js';
import type { ResolvedChallengeOptions } from './options.js';
import type { ChallengeProgress, ChallengeResult, PassiveVerdict } from './types.js';

/**
 * One person's active liveness check: a {@link LivenessSession} that tracks and judges the face,
 * and the steps the person is asked to do, in order, each within its window. Push the camera's
 * frames as they come and show `progress().prompt` and `feedback`; `result()` ends it. Create it
 * with `engine.createChallenge(options)`.
 */
export class ChallengeSession {
  readonly steps: readonly ChallengeAction[];
  private readonly machine: ChallengeMachine;
  private result_?: ChallengeResult;

  /**
   * @internal Use `engine.createChallenge()`.
   * @throws InvalidInputError when the engine has no landmarker (the inner session is closed).
   */
  constructor(
    /** The inner session: its tracks, blinks and passive verdicts. */
    readonly session: LivenessSession,
    readonly options: ResolvedChallengeOptions,
  ) {
    // Turns, look-up, open-mouth and blinks are read from the 68 landmarks: without them those
    // steps could never be done, and the face's size alone proves little. The session is the only
    // handle on its engine here (`engine.createChallenge` builds it first).
    const engine = (session as unknown as { engine: SessionHost }).engine;
    if (!engine.info.landmarks) {
      void session.close();
      throw new InvalidInputError(
        'a challenge needs face landmarks, but this engine has none (its landmarker is null): ' +
          'create the engine with a landmarker',
      );
    }
    this.steps = options.steps;
    this.machine = new ChallengeMachine(options.steps, options, (id) => this.passive(id));
  }

  /**
   * Analyses the next frame and returns where the challenge stands. Once it has passed or failed,
   * frames are no longer analysed. `timestampMs` as in {@link LivenessSession.push}.
   */
  async push(frame: Frame, timestampMs?: number): Promise<ChallengeProgress> {
    if (this.result_ || this.machine.finished) return this.machine.progress();
    this.machine.update(await this.session.push(frame, timestampMs));
    return this.machine.progress();
  }

  /** Where the challenge stands after the last frame. */
  progress(): ChallengeProgress {
    return this.machine.progress();
  }

  /**
   * The final result; ends the challenge (a step still pending fails as `timeout`) and is the
   * same on every later call. Passed only when every step was done and the passive verdict of
   * the challenged face over the whole challenge is `live`.
   */
  result(): ChallengeResult {
    if (this.result_) return this.result_;
    this.machine.end();
    const passive = this.passive(this.machine.trackId);
    const progress = this.machine.progress();
    const reasons = this.machine.finalReasons(passive);
    this.result_ = {
      passed: progress.status === 'passed' && reasons.length === 0,
      steps: progress.steps,
      reasons,
      passive,
      ...(this.machine.trackId === undefined ? {} : { trackId: this.machine.trackId }),
      durationMs: this.machine.durationMs,
    };
    return this.result_;
  }

  /** Closes the inner session (the engine stays open). */
  async close(): Promise<void> {
    await this.session.close();
  }

  /** The inner session's verdict on one track (the challenged face), not on the stream as a whole. */
  private passive(trackId: number | undefined): PassiveVerdict {
    const track = this.session.tracks().find((t) => t.id === trackId);
    if (!track) return { verdict: 'undecided', score: Number.NaN, reason: 'no face was challenged' };
    return { verdict: track.verdict, score: track.score, reason: track.reason };
  }
}
