import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Box, createFrame, type Frame, ModelStore, readImage } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeShapePredictor } from '../src/model.js';
import { modelCache, readCache, writeCache } from '../src/model-cache.js';
import { ShapePredictor } from '../src/shape-predictor.js';
import { lcg, randomModel } from './random-model.js';

const tmp = await mkdtemp(join(tmpdir(), 'sp-cache-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

let fresh = 0;
/** A new directory under `tmp`. */
async function freshDir(): Promise<string> {
  const dir = join(tmp, `${fresh++}`);
  await mkdir(dir);
  return dir;
}

/** A .dat of a random model with `numParts` points, and an empty store beside it. */
async function setUp(numParts: number, seed = 7) {
  const dir = await freshDir();
  const dat = join(dir, 'sp.dat');
  await writeFile(dat, serializeShapePredictor(randomModel(lcg(seed), numParts)));
  return { dat, store: new ModelStore(join(dir, 'store')) };
}

const cacheFiles = async (store: ModelStore) => readdir(join(store.dir, 'cache')).catch(() => []);

const random = lcg(11);
const FRAME = createFrame(
  Uint8Array.from({ length: 64 * 48 * 3 }, () => Math.floor(random() * 256)),
  64,
  48,
);
const BOXES: Box[] = [
  [10, 5, 50, 45],
  [-12.5, -7.25, 20.5, 26],
  [0, 0, 64, 48],
];

/** Every predicted number of `sp` on `frame`'s boxes, as bytes, for bit-for-bit comparison. */
function pointBytes(sp: ShapePredictor, frame: Frame = FRAME, boxes: Box[] = BOXES): Buffer {
  const out = new Float64Array(boxes.length * 2 * sp.numParts);
  boxes.forEach((box, i) => {
    sp.predictInto(frame, box, out.subarray(i * 2 * sp.numParts));
  });
  return Buffer.from(out.buffer);
}

describe('the shape predictor cache in the model store', () => {
  // 4 points: leaves read straight into WebAssembly memory; 3 points: padded there by a copy
  it.each([4, 3])('is written by the first load and read by the second (%i points)', async (n) => {
    const { dat, store } = await setUp(n);
    const parsed = pointBytes(await ShapePredictor.load(dat, { cache: false }));
    expect(await cacheFiles(store)).toEqual([]);

    const first = await ShapePredictor.load(dat, { store });
    const files = await cacheFiles(store);
    expect(files).toEqual([expect.stringMatching(/^sp-[0-9a-f]{16}\.spcache$/)]);
    const written = await stat(join(store.dir, 'cache', files[0]));

    const second = await ShapePredictor.load(dat, { store });
    const reread = await stat(join(store.dir, 'cache', files[0]));
    expect([reread.ino, reread.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
    const js = await ShapePredictor.load(dat, { store, webAssembly: false });
    for (const sp of [first, second, js]) expect(pointBytes(sp).equals(parsed)).toBe(true);
  });

  it('is what the second load reads: a cache made from another model under the source identity wins', async () => {
    const { dat, store } = await setUp(3);
    const cache = await modelCache(dat, store);
    if (!cache) throw new Error('no cache on this machine');
    await writeCache(cache, randomModel(lcg(1), 4));
    expect((await ShapePredictor.load(dat, { store })).numParts).toBe(4);
    expect((await ShapePredictor.load(dat, { store, cache: false })).numParts).toBe(3);
  });

  it('puts the leaves where the WebAssembly kernel reads them, without a copy', async () => {
    const { dat, store } = await setUp(4);
    await ShapePredictor.load(dat, { store });
    const cache = await modelCache(dat, store);
    const model = cache && (await readCache(cache, true));
    if (!model) throw new Error('the cache was not read');
    const sp = new ShapePredictor(model);
    expect(sp.model.cascades.map((c) => c.leafValues)).toEqual(model.cascades.map((c) => c.leafValues));
    expect(sp.model.cascades[0].leafValues).toBe(model.cascades[0].leafValues);
    // a second predictor of the same model gets memory of its own
    expect(new ShapePredictor(model).model.cascades[0].leafValues).not.toBe(model.cascades[0].leafValues);
  });

  it('is rebuilt when the source changes', async () => {
    const { dat, store } = await setUp(3);
    await ShapePredictor.load(dat, { store });
    await writeFile(dat, serializeShapePredictor(randomModel(lcg(2), 4)));
    const sp = await ShapePredictor.load(dat, { store });
    expect(sp.numParts).toBe(4);
    expect(pointBytes(sp).equals(pointBytes(await ShapePredictor.load(dat, { cache: false })))).toBe(true);
    expect(await cacheFiles(store)).toHaveLength(1);
    const cache = await modelCache(dat, store);
    expect((cache && (await readCache(cache, true)))?.numParts).toBe(4);
  });

  const damages: [string, (good: Uint8Array) => Uint8Array][] = [
    ['empty', () => new Uint8Array(0)],
    ['cut inside the header', (good) => good.subarray(0, 20)],
    ['cut by 4 bytes', (good) => good.subarray(0, good.length - 4)],
    ['one byte longer', (good) => Uint8Array.from([...good, 0])],
    ['a flipped bit in the magic', (good) => flip(good, 0)],
    ['another format version', (good) => flip(good, 8)],
    ['a flipped bit in the checksum', (good) => flip(good, 12)],
    ['a flipped bit in the source identity', (good) => flip(good, 40)],
    ['a flipped bit in the mean shape', (good) => flip(good, meanShapeAt(good))],
    ['a flipped bit in the first leaf', (good) => flip(good, u32(good, 20))],
    ['a flipped bit in the last leaf', (good) => flip(good, good.length - 1)],
  ];
  it.each(damages)('is never trusted when damaged (%s) and is rebuilt', async (_, damage) => {
    const { dat, store } = await setUp(4);
    const parsed = pointBytes(await ShapePredictor.load(dat, { store }));
    const file = join(store.dir, 'cache', (await cacheFiles(store))[0]);
    const good = await readFile(file);
    await writeFile(file, damage(good));
    const cache = await modelCache(dat, store);
    expect(cache && (await readCache(cache, true))).toBeUndefined();

    expect(pointBytes(await ShapePredictor.load(dat, { store })).equals(parsed)).toBe(true);
    expect((await readFile(file)).equals(good)).toBe(true);
  });

  it('is left alone with { cache: false } and for bytes', async () => {
    const { dat, store } = await setUp(3);
    await ShapePredictor.load(dat, { store, cache: false });
    await ShapePredictor.load(await readFile(dat), { store });
    expect(await cacheFiles(store)).toEqual([]);
  });

  it('is done without where the store cannot be written (a path under a file)', async () => {
    const { dat } = await setUp(4);
    const file = join(await freshDir(), 'a-file');
    await writeFile(file, 'not a directory');
    const store = new ModelStore(join(file, 'store'));
    const sp = await ShapePredictor.load(dat, { store });
    expect(pointBytes(sp).equals(pointBytes(await ShapePredictor.load(dat, { cache: false })))).toBe(true);
  });

  it('is done without in a read-only store directory', async (ctx) => {
    ctx.skip(process.getuid?.() === 0, 'root writes into read-only directories');
    const { dat, store } = await setUp(4);
    await mkdir(store.dir);
    await chmod(store.dir, 0o555);
    try {
      const sp = await ShapePredictor.load(dat, { store });
      expect(pointBytes(sp).equals(pointBytes(await ShapePredictor.load(dat, { cache: false })))).toBe(true);
      expect(await cacheFiles(store)).toEqual([]);
    } finally {
      await chmod(store.dir, 0o755);
    }
  });
});

describe("dlib's 68-point model through the cache", () => {
  it('holds every number as parsed and gives the same points, bit for bit', async (ctx) => {
    const fixture = sharedPath('fixtures/dlib68/dlib-hog-shape68.jsonl');
    needFiles(ctx, DLIB_68_PATH, fixture);
    const store = new ModelStore(join(await freshDir(), 'store'));
    const parsed = await ShapePredictor.load(DLIB_68_PATH, { store });
    const cached = await ShapePredictor.load(DLIB_68_PATH, { store });
    const [file] = await cacheFiles(store);
    expect((await stat(join(store.dir, 'cache', file))).size).toBeLessThan(70e6);
    const same = Buffer.from(serializeShapePredictor(cached.model)).equals(await readFile(DLIB_68_PATH));
    expect(same).toBe(true);

    const records = (await readFile(fixture, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { image: string; faces?: { rect: Box }[] })
      .filter((r) => r.faces?.length)
      .slice(0, 20);
    for (const record of records) {
      const frame = await readImage(sharedPath(record.image));
      const boxes = (record.faces ?? []).map(({ rect: [l, t, r, b] }): Box => [l, t, r + 1, b + 1]);
      expect(pointBytes(cached, frame, boxes).equals(pointBytes(parsed, frame, boxes))).toBe(true);
    }
    await Promise.all([parsed.close(), cached.close()]);
  });
});

describe('ShapePredictor.close', () => {
  it('releases the predictor: using it afterwards throws', async () => {
    const { dat } = await setUp(4);
    const sp = await ShapePredictor.load(dat, { cache: false });
    const box = BOXES[0];
    await sp.close();
    await sp.close();
    expect(() => sp.predict(FRAME, box)).toThrow(/ShapePredictor was used after close\(\)/);
    expect(() => sp.predictInto(FRAME, box, new Float64Array(8))).toThrow(/after close/);
    expect(() => sp.boxFromShape([])).toThrow(/after close/);
    expect(() => sp.model).toThrow(/after close/);
  });
});

const u32 = (bytes: Uint8Array, at: number) =>
  new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
const align16 = (n: number) => Math.ceil(n / 16) * 16;
/** Where the cache format puts the mean shape: after the identity and the per-cascade counts. */
const meanShapeAt = (cache: Uint8Array) => align16(36 + u32(cache, 32)) + align16(16 * u32(cache, 28));

/** A copy of `bytes` with the low bit of byte `at` flipped. */
function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at] ^= 1;
  return copy;
}
