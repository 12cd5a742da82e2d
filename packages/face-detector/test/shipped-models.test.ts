import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { shippedBlazeFacePath } from '../src/blazeface/model.js';
import { BLAZEFACE_VARIANTS, type BlazeFaceRange } from '../src/blazeface/variants.js';
import { blazeFaceTflitePath, convertBlazeFace, MEDIAPIPE_PACKAGE } from '../src/convert/index.js';

const MODELS = new URL('../models/', import.meta.url);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('BlazeFace models shipped in models/', () => {
  it.for(Object.keys(BLAZEFACE_VARIANTS) as BlazeFaceRange[])(
    '%s range equals a fresh conversion of the installed .tflite (else: npm run models)',
    async (range) => {
      const shipped = await readFile(shippedBlazeFacePath(range));
      const fresh = await convertBlazeFace(blazeFaceTflitePath(range));
      expect(shipped.length).toBe(fresh.length);
      expect(sha256(shipped)).toBe(sha256(fresh));
    },
  );

  it('carry their provenance (source version, hashes) and the Apache-2.0 licence', async () => {
    const note = await readFile(new URL('README.md', MODELS), 'utf8');
    const mediapipe = createRequire(import.meta.url)(`${MEDIAPIPE_PACKAGE}/package.json`) as {
      version: string;
      license: string;
    };
    expect(mediapipe.license).toBe('Apache-2.0');
    expect(note).toContain(`${MEDIAPIPE_PACKAGE}\`](https://www.npmjs.com/package/${MEDIAPIPE_PACKAGE})`);
    expect(note).toContain(`version ${mediapipe.version}`);
    for (const [range, variant] of Object.entries(BLAZEFACE_VARIANTS)) {
      const onnx = await readFile(shippedBlazeFacePath(range as BlazeFaceRange));
      const tflite = await readFile(blazeFaceTflitePath(range as BlazeFaceRange));
      expect(note).toContain(`sha256 \`${sha256(onnx)}\``);
      expect(note).toContain(
        `\`${variant.tflite}\`, ${Math.round(tflite.length / 1024)} KiB, sha256 \`${sha256(tflite)}\``,
      );
    }
    const licence = await readFile(new URL('LICENSE', MODELS), 'utf8');
    expect(licence).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });
});
