import type { Cascade, ShapePredictorModel } from '../src/model.js';

/** Deterministic pseudo-random numbers (a 32-bit LCG), so failures reproduce. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A random model of complete depth-3 trees; 21 trees per cascade exercise both the 8-leaf groups
 * and the rest of the WebAssembly sum.
 */
export function randomModel(random: () => number, numParts: number): ShapePredictorModel {
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
    initialShape: Float32Array.from({ length: dim }, () => 0.2 + 0.6 * random()),
    cascades: [cascade(), cascade(), cascade()],
  };
}
