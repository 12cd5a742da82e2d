import type { Cascade, ShapePredictorModel } from './model.js';
import { WASM_BASE64 } from './wasm/cascade-wasm.js';

const MODULE = Buffer.from(WASM_BASE64, 'base64');

type PositionsFn = (
  shape: number,
  anchors: number,
  n: number,
  pixels: number,
  m00: number,
  m01: number,
  m10: number,
  m11: number,
  left: number,
  top: number,
  width: number,
  height: number,
  cols: number,
  rows: number,
) => void;
type TreesFn = (
  shape: number,
  trees: number,
  numTrees: number,
  feats: number,
  list: number,
  bytes: number,
) => void;

/** The similarity transform of a cascade's feature pixels (float32) and the face box in pixels. */
export interface Placement {
  m00: number;
  m01: number;
  m10: number;
  m11: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The model in WebAssembly memory, run by src/wasm/cascade.wat. Per cascade, `positions` writes
 * the pixel index (y * width + x) of each feature pixel into `pixels`; the caller looks their
 * intensities up into `features`; `trees` walks the trees and adds the chosen leaves onto `shape`
 * (float32x4 adds that round each lane like dlib's scalar float adds, in dlib's order:
 * bit-identical results).
 */
export interface WasmCascades {
  /** The model; with whole float32x4 shapes its leaf values are views of the WebAssembly memory. */
  readonly model: ShapePredictorModel;
  readonly shape: Float32Array;
  readonly pixels: Int32Array;
  readonly features: Float32Array;
  positions(cascade: number, p: Placement, cols: number, rows: number): void;
  trees(cascade: number): void;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Lays the model out in WebAssembly memory, or returns undefined where the kernel does not apply:
 * no WebAssembly SIMD, or more feature pixels than its 16-bit split indices address. A shape that
 * is not whole float32x4 vectors (an odd number of points, e.g. dlib's 5-point model) gets its
 * leaves copied with zeros up to the next vector, and the model keeps its own leaf arrays.
 */
export function wasmCascades(model: ShapePredictorModel): WasmCascades | undefined {
  const dim = model.initialShape.length;
  const { cascades } = model;
  const maxFeatures = Math.max(0, ...cascades.map((c) => c.anchorIdx.length));
  const maxTrees = Math.max(0, ...cascades.map((c) => c.splitStart.length - 1));
  if (maxFeatures > 65536) return undefined;
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(MODULE)) return undefined;

  let at = 0;
  const take = (bytes: number) => {
    const start = at;
    at += align16(bytes);
    return start;
  };
  const stride = Math.ceil(dim / 4) * 4;
  const shapeAt = take(stride * 4);
  const pixelsAt = take(maxFeatures * 4);
  const featAt = take(maxFeatures * 4);
  const listAt = take((maxTrees + 1) * 4);
  const anchorsAt = cascades.map((c) => take(c.anchorIdx.length * 12));
  const treesAt = cascades.map((c) => take((c.splitStart.length - 1) * 12));
  const splitsAt = cascades.map((c) => take(c.splitIdx1.length * 8));
  const leavesAt = cascades.map((c) => take((c.leafValues.length / dim) * stride * 4));
  const memory = new WebAssembly.Memory({ initial: Math.ceil(at / 65536) });
  const { buffer } = memory;
  const moved = cascades.map((c, i) => {
    writeAnchors(buffer, c, anchorsAt[i]);
    writeTrees(buffer, c, treesAt[i], splitsAt[i], leavesAt[i], stride * 4);
    const leafValues = new Float32Array(buffer, leavesAt[i], (c.leafValues.length / dim) * stride);
    if (stride === dim) {
      leafValues.set(c.leafValues);
      return { ...c, leafValues };
    }
    for (let l = 0; l < c.leafValues.length / dim; l++) {
      leafValues.set(c.leafValues.subarray(l * dim, (l + 1) * dim), l * stride);
    }
    return c;
  });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(MODULE), { env: { memory } });
  const positions = exports.positions as PositionsFn;
  const trees = exports.trees as TreesFn;
  const numFeatures = cascades.map((c) => c.anchorIdx.length);
  const numTrees = cascades.map((c) => c.splitStart.length - 1);
  return {
    model: { ...model, cascades: moved },
    shape: new Float32Array(buffer, shapeAt, dim),
    pixels: new Int32Array(buffer, pixelsAt, maxFeatures),
    features: new Float32Array(buffer, featAt, maxFeatures),
    positions: (c, p, cols, rows) =>
      positions(
        shapeAt,
        anchorsAt[c],
        numFeatures[c],
        pixelsAt,
        p.m00,
        p.m01,
        p.m10,
        p.m11,
        p.left,
        p.top,
        p.width,
        p.height,
        cols,
        rows,
      ),
    trees: (c) => trees(shapeAt, treesAt[c], numTrees[c], featAt, listAt, stride * 4),
  };
}

/** Per feature pixel: the byte offset of its anchor point in the shape, then its delta. */
function writeAnchors(buffer: ArrayBuffer, c: Cascade, anchorsAt: number): void {
  const view = new DataView(buffer, anchorsAt, 12 * c.anchorIdx.length);
  for (let i = 0; i < c.anchorIdx.length; i++) {
    view.setInt32(12 * i, 8 * c.anchorIdx[i], true);
    view.setFloat32(12 * i + 4, c.deltas[2 * i], true);
    view.setFloat32(12 * i + 8, c.deltas[2 * i + 1], true);
  }
}

/** Tree records (first split, number of splits, first leaf) and 8-byte split records. */
function writeTrees(
  buffer: ArrayBuffer,
  c: Cascade,
  treesAt: number,
  splitsAt: number,
  leavesAt: number,
  leafBytes: number,
): void {
  const numTrees = c.splitStart.length - 1;
  const trees = new Uint32Array(buffer, treesAt, 3 * numTrees);
  for (let t = 0; t < numTrees; t++) {
    trees[3 * t] = splitsAt + 8 * c.splitStart[t];
    trees[3 * t + 1] = c.splitStart[t + 1] - c.splitStart[t];
    trees[3 * t + 2] = leavesAt + leafBytes * c.leafStart[t];
  }
  const splits = new DataView(buffer, splitsAt, 8 * c.splitIdx1.length);
  for (let s = 0; s < c.splitIdx1.length; s++) {
    splits.setUint16(8 * s, c.splitIdx1[s], true);
    splits.setUint16(8 * s + 2, c.splitIdx2[s], true);
    splits.setFloat32(8 * s + 4, c.splitThresh[s], true);
  }
}
