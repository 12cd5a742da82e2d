import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readImage } from '@face-liveness/core';
import { assessFrameQuality, type ChallengeProgress, type LivenessEngine } from '@face-liveness/pipeline';

/** Where and how much of a challenge's stream is kept. */
export interface AuditOptions {
  /** Folder of the audit trail: one sub-folder per challenge id. */
  dir: string;
  /** Frames kept besides the reference: the frame each step was done on, then the last one. Default 4. */
  frames: number;
}

/** Reference candidates compared at the end: enough to find a good one, few enough to cost little. */
const CANDIDATES = 6;
/** Frames between two reference candidates: the neighbours of a frame are near copies of it. */
const CANDIDATE_EVERY = 5;

interface Kept {
  name: string;
  jpeg: Uint8Array;
}

/**
 * Keeps, for one challenge, a reference frame (the sharpest and most frontal of a few frames
 * where the face passed every quality check) and up to `frames` audit frames (each step's
 * completion, the last frame), as the JPEGs the client sent: `<dir>/<challenge id>/`.
 */
export class AuditTrail {
  private readonly candidates: Uint8Array[] = [];
  private readonly kept: Kept[] = [];
  private seen = 0;
  private last?: Uint8Array;
  private doneSteps = 0;

  constructor(
    private readonly options: AuditOptions,
    private readonly challengeId: string,
  ) {}

  /** Notes one frame and the progress it made. */
  add(jpeg: Uint8Array, progress: ChallengeProgress): void {
    this.last = jpeg;
    const done = progress.steps.filter((s) => s.outcome === 'done').length;
    if (done > this.doneSteps && this.kept.length < this.options.frames - 1) {
      const action = progress.steps[done - 1]?.action ?? 'step';
      this.kept.push({ name: `step-${done}-${action}.jpg`, jpeg });
    }
    this.doneSteps = done;
    const clean = progress.feedback.length === 0 && progress.status !== 'waiting-face';
    if (clean && this.seen++ % CANDIDATE_EVERY === 0 && this.candidates.length < CANDIDATES) {
      this.candidates.push(jpeg);
    }
  }

  /** Writes the frames; returns the file names written (relative to the challenge's folder). */
  async save(engine: LivenessEngine): Promise<string[]> {
    const files = [...this.kept];
    if (this.last && this.options.frames > 0) files.push({ name: 'last.jpg', jpeg: this.last });
    const reference = await this.reference(engine);
    if (reference) files.unshift({ name: 'reference.jpg', jpeg: reference });
    if (files.length === 0) return [];
    // Written under a temporary name then renamed: a reader never sees half a trail.
    const folder = join(this.options.dir, this.challengeId);
    const partial = `${folder}.partial`;
    await mkdir(partial, { recursive: true });
    await Promise.all(files.map((f) => writeFile(join(partial, f.name), f.jpeg)));
    await rename(partial, folder);
    return files.map((f) => f.name);
  }

  /** Of the candidates, the one with the smallest head turn, ties broken by sharpness. */
  private async reference(engine: LivenessEngine): Promise<Uint8Array | undefined> {
    let best: { jpeg: Uint8Array; score: number } | undefined;
    for (const jpeg of this.candidates) {
      const frame = await readImage(jpeg);
      const { faces } = await engine.detectFaces(frame);
      if (faces.length !== 1) continue;
      const landmarks = await engine.landmarks(frame, faces[0].box, faces[0].keypoints);
      const quality = assessFrameQuality(frame, [{ box: faces[0].box, landmarks }]).faces[0];
      const value = (code: string) => quality.checks.find((c) => c.code === code)?.value ?? 0;
      // Degrees of turn weigh more than sharpness: a frontal face is what a reviewer compares.
      const score = -(value('turned') + value('tilted')) + Math.min(value('blurry'), 50) / 10;
      if (!best || score > best.score) best = { jpeg, score };
    }
    return best?.jpeg;
  }
}
