import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LivenessClassifier } from '../../src/classifier.js';
import { evaluateModel, writeScores } from '../../src/evaluate/evaluate.js';

const MSU = sharedPath('data/msu-mfsd-train');
const KERAS = sharedPath('models/seed-livenessnet/liveness.model');
const PAD_METRICS = sharedPath('tools/pad_metrics.py');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livenessnet-evaluate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('evaluate', () => {
  it('computes the metrics of pad_metrics.py on the same scores', async (ctx) => {
    needFiles(ctx, KERAS, MSU, PAD_METRICS);
    const python = ['/usr/bin/python3', 'python3'].find((p) => {
      try {
        execFileSync(p, ['--version']);
        return true;
      } catch {
        return false;
      }
    });
    ctx.skip(python === undefined, 'python3 is not installed (needed to run pad_metrics.py)');
    const classifier = await LivenessClassifier.load(KERAS);
    const result = await evaluateModel(classifier, MSU);
    await classifier.close();
    expect(result.samples).toHaveLength(60);
    expect(Object.keys(result.metrics.apcerPerType).sort()).toEqual([
      'ipad_video',
      'iphone_video',
      'printed_photo',
    ]);
    const scores = join(dir, 'scores.jsonl');
    await writeScores(scores, result.samples);
    // pad_metrics.py's own functions at full precision (its printout rounds to 0.1%)
    const program = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(sharedPath('tools'))})`,
      'import pad_metrics as p',
      `rows = [json.loads(l) for l in open(${JSON.stringify(scores)})]`,
      "pos = [r['score'] for r in rows if r['label'] == 'real']",
      'neg = {}',
      "[neg.setdefault(p.attack_type(r['image']), []).append(r['score']) for r in rows if r['label'] == 'fake']",
      'per = {t: sum(v >= 0.5 for v in vs) / len(vs) for t, vs in neg.items()}',
      'allneg = [v for vs in neg.values() for v in vs]',
      'bpcer = sum(v < 0.5 for v in pos) / len(pos)',
      "print(json.dumps({'per': per, 'bpcer': bpcer, 'acer': (max(per.values()) + bpcer) / 2, 'eer': p.eer(pos, allneg), 'auc': p.auc(pos, allneg)}))",
    ].join('\n');
    const reference = JSON.parse(execFileSync(python as string, ['-c', program], { encoding: 'utf8' }));
    const m = result.metrics;
    expect(m.apcerPerType).toEqual(reference.per);
    expect(m.bpcer).toBe(reference.bpcer);
    expect(m.acer).toBeCloseTo(reference.acer, 12);
    expect(m.eer).toBeCloseTo(reference.eer, 12);
    expect(m.auc).toBeCloseTo(reference.auc, 12);
    // and the tool's own printout agrees
    const printed = execFileSync(python as string, [PAD_METRICS, scores, 'score'], { encoding: 'utf8' });
    expect(printed).toContain(`${(m.acer * 100).toFixed(1)}%`);
  });
});
