import { describe, expect, it } from 'vitest';
import { importOptional } from '../src/optional-dependency.js';

describe('importOptional', () => {
  it('names the package to install and the feature that needs it when it is missing', async () => {
    const missing = importOptional('@face-liveness/not-installed/sub', 'Drawing a plot');
    await expect(missing).rejects.toMatchObject({
      code: 'ERR_MISSING_DEPENDENCY',
      message:
        'Drawing a plot needs the optional package @face-liveness/not-installed: npm install @face-liveness/not-installed',
    });
  });

  it('returns the module when it is installed', async () => {
    const sharp = await importOptional<typeof import('sharp')>('sharp', 'Decoding images');
    expect(typeof sharp.default).toBe('function');
  });
});
