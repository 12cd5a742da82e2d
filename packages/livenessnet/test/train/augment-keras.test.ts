import { execFileSync } from 'node:child_process';
import { readImage } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { applyKerasTransform, type KerasTransform } from '../../src/train/augment.js';

const CROP = sharedPath(
  'fixtures/seed-livenessnet/inputs-32/crop_msu-mfsd-train_fake_attack_client002_android_SD_printed_photo_scene01.png',
);

// keras_preprocessing 1.0.5 (Keras 2.2.4) apply_affine_transform and transform_matrix_offset_center,
// transcribed, run with scipy.ndimage on one channel-last uint8 image given as JSON.
const KERAS_REFERENCE = `
import json, sys
import numpy as np
from scipy import ndimage
args = json.loads(sys.stdin.read())
x = np.array(args['pixels'], dtype=np.float64).reshape(args['height'], args['width'], 3)
t = args['transform']
def offset_center(matrix, x, y):
    o_x = float(x) / 2 + 0.5
    o_y = float(y) / 2 + 0.5
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return np.dot(np.dot(offset, matrix), reset)
theta = np.deg2rad(t['theta'])
m = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])
m = np.dot(m, np.array([[1, 0, t['tx']], [0, 1, t['ty']], [0, 0, 1]]))
shear = np.deg2rad(t['shear'])
m = np.dot(m, np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]]))
m = np.dot(m, np.array([[t['zx'], 0, 0], [0, t['zy'], 0], [0, 0, 1]]))
m = offset_center(m, x.shape[0], x.shape[1])
channels = [ndimage.affine_transform(x[:, :, c], m[:2, :2], m[:2, 2], order=1, mode='nearest', cval=0.0) for c in range(3)]
x = np.stack(channels, axis=2)
if t['flip']:
    x = x[:, ::-1, :]
print(json.dumps(np.round(x).astype(int).reshape(-1).tolist()))
`;

function pythonWithScipy(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((python) => {
    try {
      execFileSync(python, ['-c', 'import scipy, numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

describe('augmentation equals Keras', () => {
  it('warps like keras_preprocessing + scipy.ndimage for rotation, shift, shear, zoom and flip', async (ctx) => {
    needFiles(ctx, CROP);
    const python = pythonWithScipy();
    ctx.skip(python === undefined, 'needs python3 with numpy and scipy for the Keras reference');
    const frame = await readImage(CROP);
    const transforms: KerasTransform[] = [
      { theta: 17.3, tx: -4.1, ty: 5.6, shear: 0.12, zx: 0.88, zy: 1.13, flip: false },
      { theta: -9.5, tx: 2.2, ty: -6.3, shear: -0.15, zx: 1.14, zy: 0.9, flip: true },
      { theta: 0, tx: 0, ty: 0, shear: 12, zx: 1, zy: 1, flip: false },
    ];
    for (const transform of transforms) {
      const ours = applyKerasTransform(frame, transform);
      const input = JSON.stringify({
        width: frame.width,
        height: frame.height,
        pixels: Array.from(frame.data),
        transform,
      });
      const reference: number[] = JSON.parse(
        execFileSync(python as string, ['-c', KERAS_REFERENCE], { input, encoding: 'utf8' }),
      );
      let worst = 0;
      ours.data.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - reference[i]));
      });
      // both round the same bilinear value; only ties at .5 after float noise may differ by one
      expect(worst).toBeLessThanOrEqual(1);
    }
  });
});
