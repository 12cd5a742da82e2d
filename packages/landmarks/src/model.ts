import { DlibDecodeError, DlibReader, DlibWriter } from './dlib-serialize.js';

/**
 * One level of dlib's cascade: the feature pixels it samples and its regression trees, held in
 * flat typed arrays (a model is ~16 million numbers; objects per node would cost gigabytes).
 */
export interface Cascade {
  /** For each feature pixel, the shape point it is anchored to. */
  readonly anchorIdx: Uint32Array;
  /** For each feature pixel, its offset (x, y) from the anchor in the mean shape's frame. */
  readonly deltas: Float32Array;
  /** `splitStart[t] .. splitStart[t + 1]` are tree t's split nodes (breadth first, root first). */
  readonly splitStart: Uint32Array;
  /** Split node: feature index of the first pixel. */
  readonly splitIdx1: Uint32Array;
  /** Split node: feature index of the second pixel. */
  readonly splitIdx2: Uint32Array;
  /** Split node: go left when `pixel[idx1] - pixel[idx2] > thresh`. */
  readonly splitThresh: Float32Array;
  /** `leafStart[t] .. leafStart[t + 1]` are tree t's leaves. */
  readonly leafStart: Uint32Array;
  /** Leaf shape increments, `2 * numParts` floats per leaf, leaves in order. */
  readonly leafValues: Float32Array;
}

/** The content of a dlib `shape_predictor` (Kazemi and Sullivan's ensemble of regression trees). */
export interface ShapePredictorModel {
  /** Number of landmarks (68 for dlib's face model). */
  readonly numParts: number;
  /** The mean shape, (x, y) per part, in the unit square of the face box. */
  readonly initialShape: Float32Array;
  readonly cascades: readonly Cascade[];
}

/** The array sizes of a model (`dim` = 2 x parts): enough to lay it out before its arrays exist. */
export interface ModelSizes {
  readonly dim: number;
  readonly cascades: readonly { features: number; trees: number; splits: number; leaves: number }[];
}

export const sizesOf = (model: ShapePredictorModel): ModelSizes => ({
  dim: model.initialShape.length,
  cascades: model.cascades.map((c) => ({
    features: c.anchorIdx.length,
    trees: c.splitStart.length - 1,
    splits: c.splitIdx1.length,
    leaves: c.leafValues.length / model.initialShape.length,
  })),
});

/** dlib's `shape_predictor` serialisation version. */
const VERSION = 1;

/**
 * Parses the bytes of a dlib `shape_predictor` file, following dlib's `deserialize`
 * (dlib/image_processing/shape_predictor.h): version, initial_shape, forests, anchor_idx, deltas.
 * Throws {@link DlibDecodeError}; callers add the file name.
 */
export function parseShapePredictor(bytes: Uint8Array): ShapePredictorModel {
  const r = new DlibReader(bytes);
  // Every serialised value takes at least 2 bytes, which bounds any honest count.
  const maxCount = () => Math.floor(r.remaining / 2);
  const version = r.int('the version number');
  if (version !== VERSION) {
    throw new DlibDecodeError(`version ${version} where a dlib shape_predictor has ${VERSION}`, 0, false);
  }
  const [rows, cols] = r.matrixShape('initial_shape', maxCount());
  if (cols !== 1 || rows === 0 || rows % 2 !== 0) {
    throw new DlibDecodeError(
      `initial_shape is ${rows}x${cols}; expected a column of (x, y) pairs`,
      0,
      false,
    );
  }
  const dim = rows;
  const initialShape = new Float32Array(dim);
  for (let i = 0; i < dim; i++) initialShape[i] = r.float('initial_shape');

  const numCascades = r.count('the number of cascades', maxCount());
  const forests: Array<Omit<Cascade, 'anchorIdx' | 'deltas'>> = [];
  for (let c = 0; c < numCascades; c++) forests.push(readForest(r, dim, c, maxCount));

  const anchorCount = r.count('the number of anchor lists', maxCount());
  if (anchorCount !== numCascades) {
    throw new DlibDecodeError(`${anchorCount} anchor lists for ${numCascades} cascades`, r.offset, false);
  }
  const anchors: Uint32Array[] = [];
  for (let c = 0; c < numCascades; c++) {
    const n = r.count(`the number of anchors of cascade ${c}`, maxCount());
    const a = new Uint32Array(n);
    for (let i = 0; i < n; i++) a[i] = r.count(`an anchor of cascade ${c}`, dim / 2 - 1);
    anchors.push(a);
  }
  const deltaCount = r.count('the number of delta lists', maxCount());
  if (deltaCount !== numCascades) {
    throw new DlibDecodeError(`${deltaCount} delta lists for ${numCascades} cascades`, r.offset, false);
  }
  const cascades: Cascade[] = [];
  for (let c = 0; c < numCascades; c++) {
    const n = r.count(`the number of deltas of cascade ${c}`, maxCount());
    if (n !== anchors[c].length) {
      throw new DlibDecodeError(
        `cascade ${c} has ${anchors[c].length} anchors but ${n} deltas`,
        r.offset,
        false,
      );
    }
    const deltas = new Float32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) deltas[i] = r.float(`a delta of cascade ${c}`);
    const forest = forests[c];
    for (let s = 0; s < forest.splitIdx1.length; s++) {
      if (forest.splitIdx1[s] >= n || forest.splitIdx2[s] >= n) {
        throw new DlibDecodeError(
          `cascade ${c} splits on a pixel beyond its ${n} feature pixels`,
          r.offset,
          false,
        );
      }
    }
    cascades.push({ anchorIdx: anchors[c], deltas, ...forest });
  }
  return { numParts: dim / 2, initialShape, cascades };
}

function readForest(
  r: DlibReader,
  dim: number,
  c: number,
  maxCount: () => number,
): Omit<Cascade, 'anchorIdx' | 'deltas'> {
  const numTrees = r.count(`the number of trees of cascade ${c}`, maxCount());
  const splitStart = new Uint32Array(numTrees + 1);
  const leafStart = new Uint32Array(numTrees + 1);
  const idx1: number[] = [];
  const idx2: number[] = [];
  const thresh: number[] = [];
  const leafChunks: Float32Array[] = [];
  for (let t = 0; t < numTrees; t++) {
    const what = `tree ${t} of cascade ${c}`;
    const numSplits = r.count(`the number of splits of ${what}`, maxCount());
    for (let s = 0; s < numSplits; s++) {
      idx1.push(r.count(`a split of ${what}`, 0xffffffff));
      idx2.push(r.count(`a split of ${what}`, 0xffffffff));
      thresh.push(r.float(`a split threshold of ${what}`));
    }
    const numLeaves = r.count(`the number of leaves of ${what}`, maxCount());
    if (numLeaves !== numSplits + 1) {
      throw new DlibDecodeError(`${what} has ${numSplits} splits but ${numLeaves} leaves`, r.offset, false);
    }
    const leaves = new Float32Array(numLeaves * dim);
    for (let l = 0; l < numLeaves; l++) {
      const [rows, cols] = r.matrixShape(`a leaf of ${what}`, maxCount());
      if (rows !== dim || cols !== 1) {
        throw new DlibDecodeError(`a leaf of ${what} is ${rows}x${cols}, expected ${dim}x1`, r.offset, false);
      }
      for (let k = 0; k < dim; k++) leaves[l * dim + k] = r.float(`a leaf value of ${what}`);
    }
    leafChunks.push(leaves);
    splitStart[t + 1] = idx1.length;
    leafStart[t + 1] = leafStart[t] + numLeaves;
  }
  const leafValues = new Float32Array(leafStart[numTrees] * dim);
  let at = 0;
  for (const chunk of leafChunks) {
    leafValues.set(chunk, at);
    at += chunk.length;
  }
  return {
    splitStart,
    splitIdx1: Uint32Array.from(idx1),
    splitIdx2: Uint32Array.from(idx2),
    splitThresh: Float32Array.from(thresh),
    leafStart,
    leafValues,
  };
}

/**
 * Writes a model in dlib's `shape_predictor` format, byte for byte as dlib's `serialize` does
 * (so dlib can load it, and a parsed dlib file re-serialises to the same bytes).
 */
export function serializeShapePredictor(model: ShapePredictorModel): Uint8Array {
  const w = new DlibWriter();
  const dim = model.initialShape.length;
  w.int(VERSION);
  w.matrixShape(dim, 1);
  for (const v of model.initialShape) w.float(v);
  w.int(model.cascades.length);
  for (const c of model.cascades) {
    const numTrees = c.splitStart.length - 1;
    w.int(numTrees);
    for (let t = 0; t < numTrees; t++) {
      w.int(c.splitStart[t + 1] - c.splitStart[t]);
      for (let s = c.splitStart[t]; s < c.splitStart[t + 1]; s++) {
        w.int(c.splitIdx1[s]);
        w.int(c.splitIdx2[s]);
        w.float(c.splitThresh[s]);
      }
      w.int(c.leafStart[t + 1] - c.leafStart[t]);
      for (let l = c.leafStart[t]; l < c.leafStart[t + 1]; l++) {
        w.matrixShape(dim, 1);
        for (let k = 0; k < dim; k++) w.float(c.leafValues[l * dim + k]);
      }
    }
  }
  w.int(model.cascades.length);
  for (const c of model.cascades) {
    w.int(c.anchorIdx.length);
    for (const a of c.anchorIdx) w.int(a);
  }
  w.int(model.cascades.length);
  for (const c of model.cascades) {
    w.int(c.anchorIdx.length);
    for (const d of c.deltas) w.float(d);
  }
  return w.bytes();
}
