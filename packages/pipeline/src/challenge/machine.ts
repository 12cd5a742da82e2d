import { type ChallengeAction, challengePrompt } from './actions.js';
import {
  ACTION_QUALITY_CODES,
  boxSize,
  type ChallengeFace,
  type ChallengeFrame,
  failedChecks,
} from './frame.js';
import { ActionMeter, POSE_ACTIONS } from './meter.js';
import { type FaceSample, neutralPose } from './neutral.js';
import type { ResolvedChallengeOptions } from './options.js';
import type {
  ChallengeFailureCode,
  ChallengeFeedback,
  ChallengeProgress,
  ChallengeReason,
  ChallengeStatus,
  ChallengeStepResult,
  PassiveVerdict,
} from './types.js';

const NO_FACE = 'no face found: face the camera, in the middle of the picture';

function sampleOf(face: ChallengeFace, timestampMs: number): FaceSample {
  return {
    timestampMs,
    yaw: face.pose?.yaw,
    pitch: face.pose?.pitch,
    mar: face.mar,
    size: boxSize(face.box),
  };
}

/** Counts quality messages over a window, to say the most frequent when the window fails. */
class MessageTally {
  private readonly counts = new Map<string, number>();
  add(messages: readonly string[]): void {
    for (const m of messages) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
  }
  top(n = 2): string[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([m]) => m);
  }
  clear(): void {
    this.counts.clear();
  }
}

/**
 * The rules of a challenge, on frame results only (no models): the first usable face is the
 * challenged one; its neutral pose is taken while it faces the camera; then each step must be
 * done, in order, within its window, by that face. `judge` gives the passive verdict of a track
 * when the last step is done. {@link ChallengeSession} feeds it a `LivenessSession`'s results;
 * tests feed it scripted ones.
 */
export class ChallengeMachine {
  private status: ChallengeStatus = 'waiting-face';
  private stepIndex = 0;
  private readonly results: ChallengeStepResult[];
  private readonly reasons: ChallengeReason[] = [];
  private feedback: ChallengeFeedback[] = [];
  private firstMs?: number;
  private lastMs = 0;
  /** The challenged face's track; a candidate until the neutral pose is taken. */
  private track?: number;
  private baseline: FaceSample[] = [];
  private meter?: ActionMeter;
  private blinksAtStart = 0;
  private lastBlinks = 0;
  private lostSince?: number;
  private otherWhileLost = false;
  private facesSeen = false;
  private usableInStep = 0;
  private faceFramesInStep = 0;
  private readonly tally = new MessageTally();

  constructor(
    readonly steps: readonly ChallengeAction[],
    private readonly o: ResolvedChallengeOptions,
    private readonly judge: (trackId: number | undefined) => PassiveVerdict,
  ) {
    this.results = steps.map((action) => ({ action, outcome: 'not-reached' }));
  }

  /** The challenged face's track, once chosen. */
  get trackId(): number | undefined {
    return this.meter ? this.track : undefined;
  }

  get finished(): boolean {
    return this.status === 'passed' || this.status === 'failed';
  }

  /** Time from the first frame to the last. */
  get durationMs(): number {
    return this.firstMs === undefined ? 0 : this.lastMs - this.firstMs;
  }

  /** Feeds one frame's result (frames in time order); does nothing once the challenge is over. */
  update(frame: ChallengeFrame): void {
    const t = frame.timestampMs;
    this.firstMs ??= t;
    this.lastMs = t;
    if (this.finished) return;
    this.feedback = [];
    if (this.status === 'waiting-face') this.waitForFace(frame);
    else this.runStep(frame);
  }

  /**
   * Ends the challenge at the last frame: a pending step times out, a face never usable is
   * `no-face` or `low-quality`; a challenge that was not failed yet is judged passively.
   */
  end(): void {
    if (this.finished) return;
    if (this.status === 'waiting-face') this.failWaiting();
    else this.failStep(this.timeoutReason());
  }

  progress(): ChallengeProgress {
    const pending = this.status === 'in-progress' ? this.results[this.stepIndex] : undefined;
    let remainingMs: number | undefined;
    if (this.status === 'waiting-face') {
      remainingMs = Math.max(0, this.o.faceTimeoutMs - this.durationMs);
    } else if (pending?.startedMs !== undefined) {
      remainingMs = Math.max(0, this.o.stepTimeoutMs - (this.lastMs - pending.startedMs));
    }
    return {
      status: this.status,
      stepIndex: this.stepIndex,
      steps: this.results.map((s) => ({ ...s })),
      ...(pending ? { prompt: challengePrompt(pending.action) } : {}),
      feedback: this.feedback.map((f) => ({ ...f })),
      ...(remainingMs === undefined ? {} : { remainingMs }),
      reasons: this.reasons.map((r) => ({ ...r })),
      timestampMs: this.lastMs,
    };
  }

  /** Every reason so far, with `spoof` added when the passive verdict is not `live`. */
  finalReasons(passive: PassiveVerdict): ChallengeReason[] {
    const reasons = this.reasons.map((r) => ({ ...r }));
    if (passive.verdict !== 'live' && !reasons.some((r) => r.code === 'spoof')) {
      reasons.push(this.spoofReason(passive));
    }
    return reasons;
  }

  private spoofReason(passive: PassiveVerdict): ChallengeReason {
    return {
      code: 'spoof',
      message: `the face was not judged live (${passive.verdict}: ${passive.reason})`,
    };
  }

  private waitForFace(frame: ChallengeFrame): void {
    const t = frame.timestampMs;
    if (frame.faces.length > 0) this.facesSeen = true;
    let index = frame.faces.findIndex((f) => f.trackId === this.track);
    if (index < 0) {
      // The largest face: the person checking is the one in front.
      index = frame.faces.reduce(
        (best, f, i) => (best < 0 || boxSize(f.box) > boxSize(frame.faces[best].box) ? i : best),
        -1,
      );
      this.baseline = [];
      this.track = index < 0 ? undefined : frame.faces[index].trackId;
    }
    const face = index < 0 ? undefined : frame.faces[index];
    const failed = failedChecks(frame.quality, index);
    const messages: ChallengeFeedback[] = failed.map((c) => ({ code: c.code, message: c.message ?? c.code }));
    if (!face) {
      if (messages.length === 0) messages.push({ code: 'no-face', message: NO_FACE });
    } else if (messages.length === 0) {
      const sample = sampleOf(face, t);
      const n = this.o.neutralDegrees;
      if (Math.abs(sample.yaw ?? 0) > n || Math.abs(sample.pitch ?? 0) > n) {
        messages.push({ code: 'look-straight', message: 'look straight at the camera and hold still' });
      } else {
        this.baseline.push(sample);
        this.lastBlinks = face.evidence.blinks;
      }
    }
    this.feedback = messages;
    this.tally.add(messages.map((m) => m.message));
    const b = this.baseline;
    if (
      b.length >= this.o.baselineFrames &&
      b[b.length - 1].timestampMs - b[0].timestampMs >= this.o.baselineMs
    ) {
      this.meter = new ActionMeter(neutralPose(b), this.o);
      this.status = 'in-progress';
      this.startStep(0, t);
      return;
    }
    if (this.durationMs >= this.o.faceTimeoutMs) this.failWaiting();
  }

  private failWaiting(): void {
    const seconds = Math.round(this.o.faceTimeoutMs / 100) / 10;
    if (!this.facesSeen) {
      this.fail({ code: 'no-face', message: `no face was found in ${seconds} s` });
    } else {
      const why = this.tally.top();
      this.fail({
        code: 'low-quality',
        message: `no usable face to start with in ${seconds} s${why.length ? `: ${why.join('; ')}` : ''}`,
      });
    }
  }

  private startStep(index: number, t: number): void {
    this.stepIndex = index;
    if (index >= this.steps.length) {
      this.complete();
      return;
    }
    this.results[index] = { action: this.steps[index], outcome: 'pending', startedMs: t };
    this.blinksAtStart = this.lastBlinks;
    this.usableInStep = 0;
    this.faceFramesInStep = 0;
    this.tally.clear();
    this.meter?.newStep();
  }

  private complete(): void {
    const passive = this.judge(this.track);
    if (passive.verdict === 'live') this.status = 'passed';
    else this.fail(this.spoofReason(passive));
  }

  private fail(reason: ChallengeReason): void {
    this.reasons.push(reason);
    this.status = 'failed';
  }

  private failStep(reason: Omit<ChallengeReason, 'step'>): void {
    const step = this.results[this.stepIndex];
    step.outcome = 'failed';
    step.doneMs = this.lastMs;
    this.fail({ ...reason, step: this.stepIndex });
  }

  private timeoutReason(): Omit<ChallengeReason, 'step'> {
    const action = this.steps[this.stepIndex];
    const seconds = Math.round(this.o.stepTimeoutMs / 100) / 10;
    // Mostly unusable frames: the quality, not the person, is what to fix (and to say).
    if (this.usableInStep < this.faceFramesInStep / 2 || this.faceFramesInStep === 0) {
      const why = this.tally.top();
      return {
        code: 'low-quality',
        message: `no usable frame while ${action} was asked${why.length ? `: ${why.join('; ')}` : ''}`,
      };
    }
    const step = this.results[this.stepIndex];
    const elapsed = this.lastMs - (step.startedMs ?? this.lastMs);
    if (elapsed < this.o.stepTimeoutMs) {
      const after = Math.round(elapsed / 100) / 10;
      return {
        code: 'timeout',
        message: `${action} was not done: the frames ended ${after} s into its ${seconds} s window`,
      };
    }
    return { code: 'timeout', message: `${action} was not done within ${seconds} s` };
  }

  private runStep(frame: ChallengeFrame): void {
    const t = frame.timestampMs;
    const step = this.results[this.stepIndex];
    const meter = this.meter as ActionMeter;
    // The window is [start, start + stepTimeoutMs), as the face's is [first frame, + faceTimeoutMs).
    if (t - (step.startedMs ?? t) >= this.o.stepTimeoutMs) {
      this.failStep(this.timeoutReason());
      return;
    }
    const index = frame.faces.findIndex((f) => f.trackId === this.track);
    if (index < 0) {
      this.lostSince ??= t;
      if (frame.faces.length > 0) this.otherWhileLost = true;
      meter.interrupt();
      this.feedback = [{ code: 'no-face', message: NO_FACE }];
      if (t - this.lostSince >= this.o.faceLostMs) {
        const seconds = Math.round((t - this.lostSince) / 100) / 10;
        this.failStep(
          this.otherWhileLost
            ? {
                code: 'face-swapped',
                message: `another face took the challenged face's place for ${seconds} s`,
              }
            : { code: 'face-lost', message: `the face was out of view for ${seconds} s` },
        );
      }
      return;
    }
    this.lostSince = undefined;
    this.otherWhileLost = false;
    const face = frame.faces[index];
    this.faceFramesInStep++;
    this.lastBlinks = face.evidence.blinks;
    // Blinks are counted by the session on every frame (it knows when one could be seen); quality only decides poses.
    if (step.action === 'blink' && face.evidence.blinks > this.blinksAtStart) {
      this.stepDone(t);
      return;
    }
    const failed = failedChecks(frame.quality, index, ACTION_QUALITY_CODES);
    if (failed.length > 0) {
      this.feedback = failed.map((c) => ({ code: c.code, message: c.message ?? c.code }));
      this.tally.add(this.feedback.map((f) => f.message));
      meter.interrupt();
      return;
    }
    this.usableInStep++;
    const { held, alone } = meter.update(sampleOf(face, t));
    // Another pose action held as long as passing needs fails the step, and is checked first: a
    // compound move then fails whichever action is asked. Blinks are involuntary and never fail one.
    for (const action of POSE_ACTIONS) {
      if (action !== step.action && (held.get(action) ?? -1) >= this.o.holdMs) {
        this.failStep({
          code: 'wrong-action',
          message: `${action} was done while ${step.action} was asked`,
        });
        return;
      }
    }
    if (step.action !== 'blink' && (alone.get(step.action) ?? -1) >= this.o.holdMs) this.stepDone(t);
  }

  private stepDone(t: number): void {
    const step = this.results[this.stepIndex];
    step.outcome = 'done';
    step.doneMs = t;
    this.startStep(this.stepIndex + 1, t);
  }
}
