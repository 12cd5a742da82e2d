import { type Cascade, type ModelSizes, type ShapePredictorModel, sizesOf } from './model.js';
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

/** Byte addresses of everything `cascade.wat` reads, and the memory size they need. */
interface Layout {
  stride: number;
  shapeAt: number;
  pixelsAt: number;
  featAt: number;
  listAt: number;
  anchorsAt: number[];
  treesAt: number[];
  splitsAt: number[];
  leavesAt: number[];
  pages: number;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Where the kernel wants each part of a model of these sizes, or undefined where it does not
 * apply: no WebAssembly SIMD, or more feature pixels than its 16-bit split indices address.
 */
function layout({ dim, cascades }: ModelSizes): Layout | undefined {
  const maxFeatures = Math.max(0, ...cascades.map((c) => c.features));
  const maxTrees = Math.max(0, ...cascades.map((c) => c.trees));
  if (maxFeatures > 65536) return undefined;
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(MODULE)) return undefined;
  let at = 0;
  const take = (bytes: number) => {
    const start = at;
    at += align16(bytes);
    return start;
  };
  const stride = Math.ceil(dim / 4) * 4;
  return {
    stride,
    shapeAt: take(stride * 4),
    pixelsAt: take(maxFeatures * 4),
    featAt: take(maxFeatures * 4),
    listAt: take((maxTrees + 1) * 4),
    anchorsAt: cascades.map((c) => take(c.features * 12)),
    treesAt: cascades.map((c) => take(c.trees * 12)),
    splitsAt: cascades.map((c) => take(c.splits * 8)),
    // each cascade's leaves are whole float32x4 vectors, so together they make one run
    leavesAt: cascades.map((c) => take(c.leaves * stride * 4)),
    pages: Math.ceil(at / 65536),
  };
}

/** Memories made by {@link leafMemory}, until a predictor adopts them. */
const adoptable = new WeakMap<ArrayBufferLike, WebAssembly.Memory>();

/**
 * A view, in fresh WebAssembly memory laid out for a model of these sizes, where all its
 * cascades' leaves go in order, so that a reader can put them there and spare a copy of the
 * largest part of the model; undefined where the kernel does not apply or pads the leaves.
 * {@link wasmCascades} adopts that memory (once) for a model whose leaf arrays are views on it.
 */
export function leafMemory(sizes: ModelSizes): Float32Array | undefined {
  const place = layout(sizes);
  if (!place || place.stride !== sizes.dim || sizes.cascades.length === 0) return undefined;
  const memory = new WebAssembly.Memory({ initial: place.pages });
  adoptable.set(memory.buffer, memory);
  const floats = sizes.cascades.reduce((n, c) => n + c.leaves * sizes.dim, 0);
  return new Float32Array(memory.buffer, place.leavesAt[0], floats);
}

/** The memory of {@link leafMemory} that holds `model`'s leaves, if they are where `place` puts them. */
function adopt(model: ShapePredictorModel, place: Layout): WebAssembly.Memory | undefined {
  const buffer = model.cascades[0]?.leafValues.buffer;
  const memory = buffer && adoptable.get(buffer);
  const inPlace = model.cascades.every(
    (c, i) => c.leafValues.buffer === buffer && c.leafValues.byteOffset === place.leavesAt[i],
  );
  if (!memory || !inPlace) return undefined;
  adoptable.delete(buffer);
  return memory;
}

/**
 * Lays the model out in WebAssembly memory, or returns undefined where the kernel does not apply
 * (see `layout`). Leaves read into {@link leafMemory} stay where they are; others are copied in.
 * A shape that is not whole float32x4 vectors (an odd number of points, e.g. dlib's 5-point
 * model) gets its leaves copied with zeros up to the next vector, and the model keeps its own
 * leaf arrays.
 */
export function wasmCascades(model: ShapePredictorModel): WasmCascades | undefined {
  const dim = model.initialShape.length;
  const { cascades } = model;
  const place = layout(sizesOf(model));
  if (!place) return undefined;
  const { stride, shapeAt, pixelsAt, featAt, listAt, anchorsAt, treesAt, splitsAt, leavesAt } = place;
  const adopted = adopt(model, place);
  const memory = adopted ?? new WebAssembly.Memory({ initial: place.pages });
  const { buffer } = memory;
  const moved = cascades.map((c, i) => {
    writeAnchors(buffer, c, anchorsAt[i]);
    writeTrees(buffer, c, treesAt[i], splitsAt[i], leavesAt[i], stride * 4);
    if (adopted) return c;
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
  const maxFeatures = Math.max(0, ...numFeatures);
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
