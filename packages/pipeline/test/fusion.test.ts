import { describe, expect, it } from 'vitest';
import { decide, EvidenceAccumulator, type FusionPolicy, resolveFusion } from '../src/fusion.js';
import { inputVerdict } from '../src/input-verdict.js';

/**
 * Feeds `scores` at 30 FPS, with blinks counted at the given frame indices; a blink could have been
 * seen on every frame unless `observable` says otherwise.
 */
function evidence(scores: number[], blinkFrames: number[] = [], observable = (_i: number) => true) {
  const acc = new EvidenceAccumulator(0, 0.2);
  let blinks = 0;
  scores.forEach((s, i) => {
    if (blinkFrames.includes(i)) blinks++;
    acc.add((i * 1000) / 30, s, blinks, observable(i));
  });
  return acc.snapshot();
}

const verdict = (policy: FusionPolicy, scores: number[], blinks: number[] = [], threshold = 0.5) =>
  decide(evidence(scores, blinks), resolveFusion({ policy, threshold })).verdict;

describe('EvidenceAccumulator', () => {
  it('keeps mean, EMA, range, blinks and time since the last blink', () => {
    const e = evidence([0.2, 0.4, 0.6, 0.8], [2]);
    expect(e.score).toBeCloseTo(0.5);
    expect(e.emaScore).toBeCloseTo(0.2 * 0.8 + 0.8 * (0.2 * 0.6 + 0.8 * (0.2 * 0.4 + 0.8 * 0.2)));
    expect([e.minScore, e.maxScore]).toEqual([0.2, 0.8]);
    expect(e).toMatchObject({ frames: 4, classifiedFrames: 4, blinks: 1 });
    expect(e.sinceBlinkMs).toBeCloseTo(1000 / 30);
    expect(e.durationMs).toBeCloseTo(100);
  });

  it('counts only observable time without a blink as watched, from the last blink on', () => {
    const scores = Array(91).fill(0.9);
    expect(evidence(scores).watchedMs).toBeCloseTo(3000);
    expect(evidence(scores, [], (i) => i > 60).watchedMs).toBeCloseTo(1000);
    expect(evidence(scores, [30]).watchedMs).toBeCloseTo(2000);
    expect(evidence(scores, [], () => false).watchedMs).toBe(0);
  });

  it('counts unclassified frames as seen only', () => {
    const acc = new EvidenceAccumulator(0, 0.2);
    acc.add(0, undefined, 0);
    acc.add(33, 0.9, 0);
    expect(acc.snapshot()).toMatchObject({ frames: 2, classifiedFrames: 1, score: 0.9 });
  });
});

describe('fusion policies', () => {
  const live = Array(30).fill(0.95);
  const hesitant = Array(30).fill(0.6);
  const spoof = Array(30).fill(0.1);

  it('all wait for minFrames', () => {
    for (const policy of ['passive', 'blink', 'fused'] as const) {
      expect(verdict(policy, live.slice(0, 4), [1])).toBe('undecided');
    }
  });

  it('passive: the model alone', () => {
    expect(verdict('passive', live)).toBe('live');
    expect(verdict('passive', spoof, [3, 10])).toBe('spoof');
  });

  it('blink: live needs a blink, a low score is spoof even with blinks (a replayed video blinks)', () => {
    expect(verdict('blink', live)).toBe('undecided');
    expect(verdict('blink', live, [12])).toBe('live');
    expect(verdict('blink', spoof, [12])).toBe('spoof');
  });

  it('original: nothing before more than 10 blinks', () => {
    const ten = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
    expect(verdict('original', live, ten)).toBe('undecided');
    expect(verdict('original', live, [...ten, 21])).toBe('live');
    expect(verdict('original', spoof, [...ten, 21])).toBe('spoof');
  });

  it('fused: the model decides; a hesitant live face that never blinks with its eyes in view for 30 s is spoof', () => {
    expect(verdict('fused', live)).toBe('live');
    expect(verdict('fused', hesitant)).toBe('live');
    expect(verdict('fused', spoof, [20])).toBe('spoof');
    const longHesitant = Array(30 * 30 + 1).fill(0.6);
    expect(verdict('fused', longHesitant)).toBe('spoof');
    expect(verdict('fused', longHesitant, [600])).toBe('live');
    const fused = resolveFusion({ policy: 'fused', threshold: 0.5 });
    // Time when a blink could not have been seen (face too small, frames too sparse) does not count.
    expect(
      decide(
        evidence(longHesitant, [], (i) => i % 2 === 0),
        fused,
      ).verdict,
    ).toBe('live');
    // A confident model is live however long the face goes without a blink; the confident bar
    // follows the classifier's threshold: halfway from it to 1.
    expect(verdict('fused', Array(30 * 30 + 1).fill(0.91), [], 0.8)).toBe('live');
    expect(verdict('fused', Array(30 * 30 + 1).fill(0.85), [], 0.8)).toBe('spoof');
  });

  it('rejects unknown policies and out-of-range thresholds, naming the option', () => {
    expect(() => resolveFusion({ policy: 'vote' as FusionPolicy })).toThrow(
      /unknown policy 'vote'; use one of passive/,
    );
    expect(() => resolveFusion({ threshold: 1.5 })).toThrow(/threshold must be in \[0, 1\]/);
    expect(() => resolveFusion({ minFrames: 0 })).toThrow(/minFrames must be a positive integer/);
  });
});

describe('inputVerdict', () => {
  const track = (verdict: 'live' | 'spoof' | 'undecided', frames: number, meanFaceSize = 100) =>
    ({ verdict, frames, meanFaceSize }) as Parameters<typeof inputVerdict>[0][number];
  it('follows the decided face-frames: fragments add up, passers-by weigh little', () => {
    expect(inputVerdict([])).toBe('undecided');
    expect(inputVerdict([track('undecided', 50)])).toBe('undecided');
    expect(
      inputVerdict([track('spoof', 10), track('live', 17), track('spoof', 9), track('undecided', 40)]),
    ).toBe('spoof');
    expect(inputVerdict([track('live', 100), track('spoof', 6)])).toBe('live');
    // The big face in front outweighs a smaller one seen as long.
    expect(inputVerdict([track('live', 600, 270), track('spoof', 600, 216)])).toBe('live');
  });
});
