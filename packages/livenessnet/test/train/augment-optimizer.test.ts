import { createFrame, createRng } from '@face-liveness/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randomAugment } from '../../src/train/augment.js';
import { selectTrainingBackend } from '../../src/train/backend.js';
import { EpochMonitor } from '../../src/train/monitor.js';
import { DecayedAdam } from '../../src/train/optimizer.js';

describe('augmentation', () => {
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
    await selectTrainingBackend();
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
