import { readdirSync, readFileSync } from 'node:fs';
import { createFrame } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no type declarations
import { assemble, moduleFile, moduleSource, WASM_DIR } from '../scripts/assemble-wasm.mjs';
import type { Cascade, ShapePredictorModel } from '../src/model.js';
import { ShapePredictor } from '../src/shape-predictor.js';

describe('WebAssembly kernels', () => {
  const watFiles = readdirSync(WASM_DIR).filter((f) => f.endsWith('.wat'));

  it('include the shape predictor kernel', () => expect(watFiles).toContain('cascade.wat'));

  it.each(watFiles)('%s: the committed module holds what the .wat assembles to', async (watFile) => {
    const committed = readFileSync(WASM_DIR + moduleFile(watFile), 'utf8');
    expect(committed).toBe(moduleSource(watFile, await assemble(watFile)));
  });
});

/** Deterministic pseudo-random numbers (a 32-bit LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A random model of complete depth-3 trees whose shape is whole float32x4 vectors (4 points), so
 * that it runs in WebAssembly; 21 trees per cascade exercise both the 8-leaf groups and the rest.
 */
function randomModel(random: () => number): ShapePredictorModel {
  const numParts = 4;
  const dim = 2 * numParts;
  const numFeatures = 40;
  const numTrees = 21;
  const splitsPerTree = 7;
  const cascade = (): Cascade => ({
    anchorIdx: Uint32Array.from({ length: numFeatures }, () => Math.floor(random() * numParts)),
    deltas: Float32Array.from({ length: 2 * numFeatures }, () => (random() - 0.5) * 0.6),
    splitStart: Uint32Array.from({ length: numTrees + 1 }, (_, t) => t * splitsPerTree),
    splitIdx1: Uint32Array.from({ length: numTrees * splitsPerTree }, () =>
      Math.floor(random() * numFeatures),
    ),
    splitIdx2: Uint32Array.from({ length: numTrees * splitsPerTree }, () =>
      Math.floor(random() * numFeatures),
    ),
    splitThresh: Float32Array.from({ length: numTrees * splitsPerTree }, () => (random() - 0.5) * 100),
    leafStart: Uint32Array.from({ length: numTrees + 1 }, (_, t) => t * (splitsPerTree + 1)),
    leafValues: Float32Array.from(
      { length: numTrees * (splitsPerTree + 1) * dim },
      () => (random() - 0.5) * 0.02,
    ),
  });
  return {
    numParts,
    initialShape: Float32Array.from([0.3, 0.35, 0.7, 0.35, 0.5, 0.6, 0.5, 0.8]),
    cascades: [cascade(), cascade(), cascade()],
  };
}

describe('the WebAssembly and JavaScript paths', () => {
  it('give bit-identical points, boxes partly outside the image included', () => {
    const random = lcg(7);
    const model = randomModel(random);
    const js = new ShapePredictor(model, { webAssembly: false });
    const wasm = new ShapePredictor(model);
    // the leaves moved into WebAssembly memory: the wasm path is the one under test
    expect(wasm.model.cascades[0].leafValues.buffer.byteLength).toBeGreaterThanOrEqual(65536);
    expect(js.model).toBe(model);
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
      const a = new Float64Array(8);
      const b = new Float64Array(8);
      js.predictInto(frame, box, a);
      wasm.predictInto(frame, box, b);
      expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    }
  });
});
