import { describe, expect, it } from 'vitest';
import { classificationReport, formatClassificationReport } from '../../src/classification-report.js';
import { attackTypeOf, padMetrics } from '../../src/evaluate/pad-metrics.js';

describe('classification report', () => {
  it('prints what scikit-learn prints', () => {
    const report = classificationReport([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], ['fake', 'real']);
    // sklearn.metrics.classification_report([0,0,1,1,1], [0,1,1,1,0], target_names=['fake','real'], digits=6)
    expect(formatClassificationReport(report, 6)).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '        fake   0.500000  0.500000  0.500000         2',
        '        real   0.666667  0.666667  0.666667         3',
        '',
        '    accuracy                       0.600000         5',
        '   macro avg   0.583333  0.583333  0.583333         5',
        'weighted avg   0.600000  0.600000  0.600000         5',
        '',
      ].join('\n'),
    );
  });

  it('gives 0 for an empty prediction class, as sklearn with zero_division', () => {
    const report = classificationReport([0, 1], [0, 0], ['fake', 'real']);
    expect(report.classes[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
});

describe('PAD metrics', () => {
  it('reports the worst attack type, BPCER, ACER, EER and AUC', () => {
    const samples = [
      { image: 'r1', label: 'real', score: 0.9 },
      { image: 'r2', label: 'real', score: 0.4 },
      { image: 'f1', label: 'fake', score: 0.6, attackType: 'print' },
      { image: 'f2', label: 'fake', score: 0.1, attackType: 'print' },
      { image: 'f3', label: 'fake', score: 0.2, attackType: 'replay' },
    ];
    const m = padMetrics(samples, 0.5);
    expect(m.apcerPerType).toEqual({ print: 0.5, replay: 0 });
    expect(m).toMatchObject({ apcer: 0.5, worstAttackType: 'print', bpcer: 0.5, acer: 0.5 });
    // 5 of the 6 (live, attack) pairs are ordered right
    expect(m.auc).toBeCloseTo(5 / 6, 12);
    expect(m.eer).toBeCloseTo((1 / 3 + 1 / 2) / 2, 12);
  });

  it('finds attack types in MSU-MFSD names or subfolders', () => {
    expect(attackTypeOf('fake/attack_client002_android_SD_printed_photo_scene01.jpg')).toBe('printed_photo');
    expect(attackTypeOf('fake/attack_client002_android_SD_ipad_video_scene01.jpg')).toBe('ipad_video');
    expect(attackTypeOf('fake/0001/0001_00_00_01_0.jpg')).toBe('attack');
    expect(attackTypeOf('fake/mask/a.jpg', 'subfolder')).toBe('mask');
  });
});
