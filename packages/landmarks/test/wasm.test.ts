import { readdirSync, readFileSync } from 'node:fs';
import { createFrame } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no type declarations
import { assemble, moduleFile, moduleSource, WASM_DIR } from '../scripts/assemble-wasm.mjs';
import { ShapePredictor } from '../src/shape-predictor.js';
import { lcg, randomModel } from './random-model.js';

describe('WebAssembly kernels', () => {
  const watFiles = readdirSync(WASM_DIR).filter((f) => f.endsWith('.wat'));

  it('include the shape predictor kernel', () => expect(watFiles).toContain('cascade.wat'));

  it.each(watFiles)('%s: the committed module holds what the .wat assembles to', async (watFile) => {
    const committed = readFileSync(WASM_DIR + moduleFile(watFile), 'utf8');
    expect(committed).toBe(moduleSource(watFile, await assemble(watFile)));
  });
});

describe('the WebAssembly and JavaScript paths', () => {
  // 4 points: whole float32x4 vectors, leaves moved into WebAssembly memory; 3 points: padded copies
  it.each([4, 3])('give bit-identical points for %i points, boxes partly outside the image included', (n) => {
    const random = lcg(7);
    const model = randomModel(random, n);
    const js = new ShapePredictor(model, { webAssembly: false });
    const wasm = new ShapePredictor(model);
    expect(wasm.model.cascades[0].leafValues.buffer.byteLength >= 65536).toBe(n === 4);
    const frame = createFrame(
      Uint8Array.from({ length: 64 * 48 * 3 }, () => Math.floor(random() * 256)),
      64,
      48,
    );
    const boxes: [number, number, number, number][] = [
      [10, 5, 50, 45],
      [-12.5, -7.25, 20.5, 26],
      [40.3, 30.1, 90, 80],
      [0, 0, 64, 48],
    ];
    for (const box of boxes) {
      const a = new Float64Array(2 * n);
      const b = new Float64Array(2 * n);
      js.predictInto(frame, box, a);
      wasm.predictInto(frame, box, b);
      expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    }
  });
});
