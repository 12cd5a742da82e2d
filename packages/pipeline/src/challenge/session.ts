import type { Frame } from '@face-liveness/core';
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

  /** @internal Use `engine.createChallenge()`. */
  constructor(
    /** The inner session: its tracks, blinks and passive verdicts. */
    readonly session: LivenessSession,
    readonly options: ResolvedChallengeOptions,
  ) {
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
