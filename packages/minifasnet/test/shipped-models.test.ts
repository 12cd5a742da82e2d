import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { needFiles, sharedPath } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { MINIFASNET_MODELS_DIR } from '../src/models.js';

const FILES = ['2.7_80x80_MiniFASNetV2.onnx', '4_0_0_80x80_MiniFASNetV1SE.onnx'];
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('models/', () => {
  it.for(FILES)('%s: its sha256 is the one models/README.md gives', (file) => {
    const readme = readFileSync(join(MINIFASNET_MODELS_DIR, 'README.md'), 'utf8');
    expect(readme).toContain(sha256(join(MINIFASNET_MODELS_DIR, file)));
  });

  it.for(FILES)('%s: equals the Apache-2.0 file in ../shared (provenance)', (file, ctx) => {
    needFiles(ctx, sharedPath('models/peers/minifasnet', file));
    expect(sha256(join(MINIFASNET_MODELS_DIR, file))).toBe(
      sha256(sharedPath('models/peers/minifasnet', file)),
    );
  });

  it('ships the Apache-2.0 licence beside the models', () => {
    expect(readFileSync(join(MINIFASNET_MODELS_DIR, 'LICENSE'), 'utf8')).toMatch(
      /Apache License\s+Version 2\.0/,
    );
  });
});
