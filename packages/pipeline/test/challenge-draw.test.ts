import { InvalidInputError } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import {
  CHALLENGE_ACTIONS,
  drawChallengeSteps,
  parseChallengeSteps,
  resolveChallengeOptions,
} from '../src/challenge/index.js';
import { LivenessEngine } from '../src/engine.js';

describe('drawChallengeSteps', () => {
  it('same seed, same steps; another seed, (almost always) other steps', () => {
    expect(drawChallengeSteps({ seed: 42 })).toEqual(drawChallengeSteps({ seed: 42 }));
    expect(drawChallengeSteps({ seed: 'session-abc' })).toEqual(drawChallengeSteps({ seed: 'session-abc' }));
    const orders = new Set(Array.from({ length: 50 }, (_, i) => drawChallengeSteps({ seed: i }).join()));
    expect(orders.size).toBeGreaterThan(30);
  });

  it('draws 2 to 4 steps (default 3), never the same action twice in a row', () => {
    expect(drawChallengeSteps({ seed: 1 })).toHaveLength(3);
    for (const count of [2, 3, 4]) {
      for (let seed = 0; seed < 200; seed++) {
        const steps = drawChallengeSteps({ count, seed });
        expect(steps).toHaveLength(count);
        for (let i = 1; i < steps.length; i++) expect(steps[i]).not.toBe(steps[i - 1]);
      }
    }
    for (const count of [1, 5, 2.5]) expect(() => drawChallengeSteps({ count })).toThrow(/count/);
  });

  it('reaches every action in every position, and only the allowed ones', () => {
    for (let position = 0; position < 3; position++) {
      const seen = new Set(Array.from({ length: 300 }, (_, seed) => drawChallengeSteps({ seed })[position]));
      expect([...seen].sort()).toEqual([...CHALLENGE_ACTIONS].sort());
    }
    const pool = ['turn-left', 'blink', 'open-mouth'] as const;
    for (let seed = 0; seed < 20; seed++) {
      expect(drawChallengeSteps({ seed, actions: pool, count: 4 })).toSatisfy((s: string[]) =>
        s.every((a) => (pool as readonly string[]).includes(a)),
      );
    }
  });

  it('needs at least three different actions to draw from: two would only alternate', () => {
    for (const actions of [['blink'], ['turn-left', 'turn-right'], ['blink', 'look-up', 'blink']] as const) {
      expect(() => drawChallengeSteps({ actions })).toThrow(InvalidInputError);
      expect(() => resolveChallengeOptions({ actions })).toThrow(/^actions needs at least three different/);
    }
    // Fixed steps are not drawn: the pool is not read.
    expect(resolveChallengeOptions({ steps: ['blink', 'turn-left'], actions: ['blink'] }).steps).toEqual([
      'blink',
      'turn-left',
    ]);
  });

  it('unseeded draws use the platform generator', () => {
    const orders = new Set(Array.from({ length: 20 }, () => drawChallengeSteps().join()));
    expect(orders.size).toBeGreaterThan(5);
  });
});

describe('challenge options', () => {
  it('parses steps with aliases and names the bad word', () => {
    expect(parseChallengeSteps('left, right,up,mouth,closer,blink')).toEqual([
      'turn-left',
      'turn-right',
      'look-up',
      'open-mouth',
      'move-closer',
      'blink',
    ]);
    expect(() => parseChallengeSteps('left,wink')).toThrow(/steps: unknown action 'wink'/);
    expect(() => parseChallengeSteps(' , ')).toThrow(/at least one/);
  });

  it('fills defaults and names a bad option', () => {
    const o = resolveChallengeOptions({ steps: ['blink'] });
    expect(o).toMatchObject({
      steps: ['blink'],
      stepTimeoutMs: 5000,
      faceTimeoutMs: 10_000,
      turnDegrees: 20,
    });
    expect(resolveChallengeOptions({ seed: 3 }).steps).toEqual(drawChallengeSteps({ seed: 3 }));
    expect(() => resolveChallengeOptions({ stepTimeoutMs: 0 })).toThrow(/stepTimeoutMs/);
    expect(() => resolveChallengeOptions({ closerRatio: 0.9 })).toThrow(/closerRatio/);
    expect(() => resolveChallengeOptions({ mouthCloseMargin: 0.3 })).toThrow(/mouthCloseMargin/);
    expect(() => resolveChallengeOptions({ steps: [] })).toThrow(/steps/);
    // @ts-expect-error: a bad action from untyped input
    expect(() => resolveChallengeOptions({ steps: ['wink'] })).toThrow(/steps: unknown action 'wink'/);
  });

  it('a challenge needs an engine with landmarks', async () => {
    const detector = { detect: async () => [], close: async () => {} };
    const classifiers = [{ classify: () => ({ score: 1 }), close: async () => {} }];
    const landmarker = { predict: () => [], close: async () => {} };
    const bare = new LivenessEngine({ detector, classifiers, landmarker: null });
    expect(() => bare.createChallenge({ steps: ['blink'] })).toThrow(InvalidInputError);
    expect(() => bare.createChallenge()).toThrow(/challenge needs face landmarks.*landmarker is null/);
    const full = new LivenessEngine({ detector, classifiers, landmarker });
    const challenge = full.createChallenge({ steps: ['blink'] });
    expect(challenge.steps).toEqual(['blink']);
    await challenge.close();
    await Promise.all([bare.close(), full.close()]);
  });
});
