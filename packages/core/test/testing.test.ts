import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missing, needFiles, sharedDir } from '../src/testing.js';

describe('shared-data helpers', () => {
  it('reports what is missing', () => {
    expect(missing('/definitely/not/here')).toMatch(/not\/here/);
    expect(missing(process.cwd())).toBeUndefined();
  });
  it('skips with a reason when a file is absent', (ctx) => {
    needFiles(ctx, sharedDir());
    expect(existsSync(sharedDir())).toBe(true);
  });
});
