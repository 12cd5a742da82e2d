import { createFrame } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randomAugment } from '../src/augment.js';
import { selectBackend } from '../src/backend/index.js';
import { cropFace } from '../src/crop.js';
import { EpochMonitor } from '../src/monitor.js';
import { DecayedAdam } from '../src/optimizer.js';
import { attackTypeOf, padMetrics } from '../src/pad-metrics.js';
import { classificationReport, formatClassificationReport } from '../src/report.js';
import { createRng } from '../src/synth/rng.js';

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

describe('augmentation and cropping', () => {
  const frame = createFrame(
    Uint8Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 7) % 256),
    16,
    16,
  );

  it('is the identity with every range at zero and reproducible with a seed', () => {
    const none = {
      rotationRange: 0,
      zoomRange: 0,
      widthShiftRange: 0,
      heightShiftRange: 0,
      shearRange: 0,
      horizontalFlip: false,
    };
    expect(randomAugment(frame, createRng(1), none).data).toEqual(frame.data);
    const a = randomAugment(frame, createRng(5));
    expect(randomAugment(frame, createRng(5)).data).toEqual(a.data);
    expect(a.data).not.toEqual(frame.data);
    expect(a).toMatchObject({ width: 16, height: 16 });
  });

  it('crops the clipped box, grown by the margin', () => {
    expect(cropFace(frame, [-4, 2, 8, 30])).toMatchObject({ width: 8, height: 14 });
    expect(cropFace(frame, [4, 4, 8, 8], { margin: 0.5 })).toMatchObject({ width: 8, height: 8 });
    expect(() => cropFace(frame, [20, 20, 30, 30])).toThrow(/outside the 16x16 frame/);
  });
});

describe('EpochMonitor', () => {
  it('saves on strict improvements and stops after `patience` epochs without a lower val_loss', () => {
    const monitor = new EpochMonitor(2);
    expect(monitor.update(0.7, 0.5)).toEqual({ saveBestLoss: true, saveBestAcc: true, stop: false });
    expect(monitor.update(0.6, 0.5)).toEqual({ saveBestLoss: true, saveBestAcc: false, stop: false });
    expect(monitor.update(0.6, 0.8)).toEqual({ saveBestLoss: false, saveBestAcc: true, stop: false });
    expect(monitor.update(0.65, 0.7)).toEqual({ saveBestLoss: false, saveBestAcc: false, stop: true });
  });
});

describe('DecayedAdam', () => {
  it('takes the steps of Keras 2.2 Adam with decay', async () => {
    await selectBackend();
    const lr = 0.01;
    const decay = 0.5;
    const optimizer = new DecayedAdam(lr, decay, 2);
    const p = tf.variable(tf.scalar(0));
    // gradients this small make Keras' placement of epsilon matter
    const gradients = [3e-7, -2e-7, 5e-8];
    // keras/optimizers.py (2.2.4) Adam.get_updates, in plain numbers
    let expected = 0;
    let m = 0;
    let v = 0;
    gradients.forEach((g, k) => {
      const lrDecayed = lr / (1 + decay * (2 + k));
      const t = k + 1;
      const lrT = (lrDecayed * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      expected -= (lrT * m) / (Math.sqrt(v) + 1e-7);
      const gradient = tf.scalar(g);
      optimizer.applyGradients({ [p.name]: gradient });
      gradient.dispose();
      expect(p.dataSync()[0]).toBeCloseTo(expected, 8);
    });
    expect(optimizer.step).toBe(5);
    p.dispose();
    optimizer.dispose();
  });
});
