import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError, ModelNotFoundError } from '@face-liveness/core';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveMiniFasNet } from '../src/models.js';

const V2 = '2.7_80x80_MiniFASNetV2.onnx';
const saved = process.env.FACE_LIVENESS_MINIFASNET_DIR;
afterEach(() => {
  process.env.FACE_LIVENESS_MINIFASNET_DIR = saved;
});

describe('named models', () => {
  it('say which files are missing, where they were looked for, and how to provide them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minifasnet-empty-'));
    process.env.FACE_LIVENESS_MINIFASNET_DIR = dir;
    try {
      const error = (() => {
        try {
          resolveMiniFasNet('minifasnet');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ModelNotFoundError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `not found in ${dir}: ${V2}, 4_0_0_80x80_MiniFASNetV1SE\\.onnx.*FACE_LIVENESS_MINIFASNET_DIR`,
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are the files the thresholds were chosen for (sha256), not any file of that name', (ctx) => {
    needFiles(ctx, sharedPath('models/peers/minifasnet', V2));
    const dir = mkdtempSync(join(tmpdir(), 'minifasnet-named-'));
    process.env.FACE_LIVENESS_MINIFASNET_DIR = dir;
    try {
      copyFileSync(sharedPath('models/peers/minifasnet', V2), join(dir, V2));
      expect(resolveMiniFasNet('minifasnet-v2').members.map((m) => m.path)).toEqual([join(dir, V2)]);
      writeFileSync(join(dir, V2), 'not the model');
      expect(() => resolveMiniFasNet('minifasnet-v2')).toThrow(ModelFormatError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
