import { crc32 } from 'node:zlib';
import { type Cascade, type ModelSizes, type ShapePredictorModel, sizesOf } from './model.js';

/*
 * The shape predictor cache: a parsed dlib model laid out so that loading it is a few reads
 * straight into typed arrays. Little-endian; every array starts 16-byte aligned, so views are
 * taken on the read buffer without copying.
 *
 *    0  magic "FLSPCACH"                 8  u32 format version
 *   12  u32 CRC-32 of bytes 16..end      16  u32 file length
 *   20  u32 offset of the leaves         24  u32 number of parts
 *   28  u32 number of cascades           32  u32 byte length of the source identity, then its UTF-8
 *   per cascade: u32 features, trees, splits, leaves
 *   initialShape f32
 *   per cascade: anchorIdx u32, deltas f32, splitStart u32, splitIdx1 u32, splitIdx2 u32,
 *                splitThresh f32, leafStart u32
 *   at the leaves offset: every cascade's leafValues, f32, one run (the bulk: 65 MB of the
 *   68-point model's 67 MB), so that it can be read straight to where the kernel wants it.
 */

/** Bump whenever the layout or the meaning of any stored number changes. */
const FORMAT_VERSION = 1;
const MAGIC = 'FLSPCACH';
/** Bytes of the fixed header, up to the source identity. */
export const HEAD_BYTES = 36;
/** The CRC covers everything after its own field. */
const CRC_FROM = 16;

const ARRAYS = [
  ['anchorIdx', Uint32Array, (c) => c.features],
  ['deltas', Float32Array, (c) => 2 * c.features],
  ['splitStart', Uint32Array, (c) => c.trees + 1],
  ['splitIdx1', Uint32Array, (c) => c.splits],
  ['splitIdx2', Uint32Array, (c) => c.splits],
  ['splitThresh', Float32Array, (c) => c.splits],
  ['leafStart', Uint32Array, (c) => c.trees + 1],
] as const satisfies readonly (readonly [
  Exclude<keyof Cascade, 'leafValues'>,
  Uint32ArrayConstructor | Float32ArrayConstructor,
  (c: ModelSizes['cascades'][number]) => number,
])[];

const align16 = (n: number) => Math.ceil(n / 16) * 16;
/** The per-cascade counts follow the identity. */
const countsAt = (identityLength: number) => align16(HEAD_BYTES + identityLength);

/** The fixed header of a cache file. */
export interface CacheHead {
  crc: number;
  fileLength: number;
  leavesAt: number;
  numParts: number;
  numCascades: number;
  identityLength: number;
}

/** Byte offsets of every array, from the sizes alone (the writer and the reader share it). */
interface Plan {
  shapeAt: number;
  arraysAt: number[][];
  leavesAt: number;
  fileLength: number;
}

function plan(sizes: ModelSizes, identityLength: number): Plan {
  let at = align16(countsAt(identityLength) + 16 * sizes.cascades.length);
  const take = (bytes: number) => {
    const start = at;
    at = align16(at + bytes);
    return start;
  };
  const shapeAt = take(4 * sizes.dim);
  const arraysAt = sizes.cascades.map((c) => ARRAYS.map(([, , length]) => take(4 * length(c))));
  const leaves = sizes.cascades.reduce((n, c) => n + c.leaves * sizes.dim, 0);
  return { shapeAt, arraysAt, leavesAt: at, fileLength: at + 4 * leaves };
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The cache file of `model` made from the source `identity`, as chunks to write in order: the
 * header and small arrays, then the leaf arrays themselves (not copied). Undefined for a model
 * of 4 GiB or more, beyond the format's 32-bit offsets (and WebAssembly's memory).
 */
export function encodeCache(model: ShapePredictorModel, identity: string): Uint8Array[] | undefined {
  const id = new TextEncoder().encode(identity);
  const sizes = sizesOf(model);
  const p = plan(sizes, id.length);
  if (p.fileLength > 0xffffffff) return undefined;
  const head = new Uint8Array(p.leavesAt);
  const view = new DataView(head.buffer);
  for (let i = 0; i < MAGIC.length; i++) head[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(16, p.fileLength, true);
  view.setUint32(20, p.leavesAt, true);
  view.setUint32(24, model.numParts, true);
  view.setUint32(28, model.cascades.length, true);
  view.setUint32(32, id.length, true);
  head.set(id, HEAD_BYTES);
  sizes.cascades.forEach((c, i) =>
    [c.features, c.trees, c.splits, c.leaves].forEach((n, k) =>
      view.setUint32(countsAt(id.length) + 16 * i + 4 * k, n, true),
    ),
  );
  head.set(bytesOf(model.initialShape), p.shapeAt);
  model.cascades.forEach((c, i) =>
    ARRAYS.forEach(([name], k) => head.set(bytesOf(c[name]), p.arraysAt[i][k])),
  );
  const leaves = model.cascades.map((c) => bytesOf(c.leafValues));
  let crc = crc32(head.subarray(CRC_FROM));
  for (const chunk of leaves) crc = crc32(chunk, crc);
  view.setUint32(12, crc, true);
  return [head, ...leaves];
}

/** The fixed header, or undefined when the bytes are not this version's cache. */
export function parseHead(bytes: Uint8Array): CacheHead | undefined {
  if (bytes.length < HEAD_BYTES) return undefined;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEAD_BYTES);
  if (view.getUint32(8, true) !== FORMAT_VERSION) return undefined;
  return {
    crc: view.getUint32(12, true),
    fileLength: view.getUint32(16, true),
    leavesAt: view.getUint32(20, true),
    numParts: view.getUint32(24, true),
    numCascades: view.getUint32(28, true),
    identityLength: view.getUint32(32, true),
  };
}

/** Where everything is in a cache file whose header was checked. */
export interface CacheLayout {
  readonly sizes: ModelSizes;
  readonly plan: Plan;
}

/**
 * The layout stored in `head` (the file's bytes up to the leaves, at offset 0 of their own
 * buffer), or undefined when the file was made from another source than `identity` or its
 * numbers do not add up to its length.
 */
export function parseLayout(head: Uint8Array, h: CacheHead, identity: string): CacheLayout | undefined {
  const id = new TextEncoder().encode(identity);
  if (h.identityLength !== id.length || head.length < h.leavesAt) return undefined;
  if (!id.every((b, i) => head[HEAD_BYTES + i] === b)) return undefined;
  const at = countsAt(id.length);
  if (at + 16 * h.numCascades > h.leavesAt) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  const count = (i: number, k: number) => view.getUint32(at + 16 * i + 4 * k, true);
  const sizes: ModelSizes = {
    dim: 2 * h.numParts,
    cascades: Array.from({ length: h.numCascades }, (_, i) => ({
      features: count(i, 0),
      trees: count(i, 1),
      splits: count(i, 2),
      leaves: count(i, 3),
    })),
  };
  const p = plan(sizes, id.length);
  return p.leavesAt === h.leavesAt && p.fileLength === h.fileLength ? { sizes, plan: p } : undefined;
}

/** Whether the stored CRC matches the bytes read (`leaves`: the rest of the file). */
export function checksumMatches(head: Uint8Array, leaves: Float32Array, h: CacheHead): boolean {
  return crc32(bytesOf(leaves), crc32(head.subarray(CRC_FROM, h.leavesAt))) === h.crc;
}

/** The model, as views on the bytes read: `head` from offset 0, `leaves` from the leaves offset. */
export function viewModel(
  head: Uint8Array<ArrayBuffer>,
  leaves: Float32Array,
  { sizes, plan: p }: CacheLayout,
): ShapePredictorModel {
  const { buffer, byteOffset } = head;
  let leafAt = 0;
  const cascades = sizes.cascades.map((c, i): Cascade => {
    const arrays = Object.fromEntries(
      ARRAYS.map(([name, Type, length], k) => [
        name,
        new Type(buffer, byteOffset + p.arraysAt[i][k], length(c)),
      ]),
    );
    const leafValues = leaves.subarray(leafAt, leafAt + c.leaves * sizes.dim);
    leafAt += c.leaves * sizes.dim;
    return { ...arrays, leafValues } as Cascade;
  });
  return {
    numParts: sizes.dim / 2,
    initialShape: new Float32Array(buffer, byteOffset + p.shapeAt, sizes.dim),
    cascades,
  };
}
