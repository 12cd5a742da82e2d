import { createFrame, type Frame } from '@face-liveness/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLivenessNet } from '../src/architectures/livenessnet-v1.js';
import { selectBackend } from '../src/backend/index.js';
import { LivenessClassifier } from '../src/classifier.js';
import { LivenessEnsemble } from '../src/ensemble.js';
import { ensembleScore, ensembleThreshold } from '../src/ensemble-rule.js';
import { defaultMetadata } from '../src/metadata.js';

beforeAll(async () => {
  await selectBackend();
});

function member(seed: number, threshold: number): LivenessClassifier {
  const metadata = { ...defaultMetadata('livenessnet-v1', 16, 16), threshold };
  return LivenessClassifier.fromModel(buildLivenessNet({ width: 16, height: 16, seed }), metadata);
}

function frame(seed: number): Frame {
  return createFrame(
    Uint8Array.from({ length: 20 * 20 * 3 }, (_, i) => (i * seed * 37) % 256),
    20,
    20,
  );
}

describe('the ensemble rule', () => {
  it('averages P(live), and the thresholds unless one is given', () => {
    expect(ensembleScore([0.2, 0.9])).toBeCloseTo(0.55, 12);
    expect(ensembleThreshold([0.4, 0.8])).toBeCloseTo(0.6, 12);
    expect(ensembleThreshold([0.4, undefined])).toBeCloseTo(0.45, 12);
    expect(ensembleThreshold([0.4, 0.8], 0.3)).toBe(0.3);
    expect(() => ensembleThreshold([0.5], 2)).toThrow(/threshold must be in \[0, 1\], got 2/);
    expect(() => ensembleScore([])).toThrow(/at least one member/);
  });

  it('is how LivenessEnsemble scores and decides', async () => {
    const members = [member(1, 0.3), member(2, 0.8)];
    const ensemble = new LivenessEnsemble(members);
    expect(ensemble.threshold).toBeCloseTo(0.55, 6);
    expect(new LivenessEnsemble(members, 0.9).threshold).toBe(0.9);
    const crops = [frame(1), frame(2), frame(3)];
    const alone = await Promise.all(members.map((m) => m.classifyBatch(crops)));
    const results = await ensemble.classifyBatch(crops);
    results.forEach((result, i) => {
      expect(result.score).toBeCloseTo(ensembleScore(alone.map((r) => r[i].score)), 6);
      expect(result.probabilities[1]).toBe(result.score);
      expect(result.label).toBe(result.score >= ensemble.threshold ? 'real' : 'fake');
    });
    await ensemble.close();
  });
});
