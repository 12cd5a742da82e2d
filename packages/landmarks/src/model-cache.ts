import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { ModelStore } from '@face-liveness/core';
import {
  checksumMatches,
  encodeCache,
  HEAD_BYTES,
  parseHead,
  parseLayout,
  viewModel,
} from './cache-format.js';
import type { ShapePredictorModel } from './model.js';
import { leafMemory } from './wasm-cascade.js';

/** Where a source file's cache lives, and what it must have been made from. */
export interface ModelCache {
  readonly file: string;
  readonly identity: string;
}

/**
 * The cache of the shape predictor file `source` in `store`: `<store>/cache/<name>-<hash of its
 * real path>.spcache`, one per source path, replaced when stale. The source is identified by its
 * real path, size, inode and modification and change times, which `stat` gives at no cost
 * (hashing the 100 MB source would cost a good part of what the cache saves; the change time
 * cannot be set back by hand). Undefined on a big-endian machine: the format is little-endian and
 * read as typed arrays. Throws when the source cannot be found.
 */
export async function modelCache(source: string, store: ModelStore): Promise<ModelCache | undefined> {
  const path = await realpath(source);
  const s = await stat(path, { bigint: true });
  if (endianness() !== 'LE') return undefined;
  const identity = JSON.stringify({
    path,
    size: `${s.size}`,
    ino: `${s.ino}`,
    mtimeNs: `${s.mtimeNs}`,
    ctimeNs: `${s.ctimeNs}`,
  });
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 16);
  const file = join(store.dir, 'cache', `${basename(path, extname(path))}-${hash}.spcache`);
  return { file, identity };
}

/** File system failures (missing, unreadable, read-only, full): the cache is skipped, not fatal. */
const isSystemError = (error: unknown) =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';

/** Fills `bytes` from `position`; false when the file ends first. */
async function readFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<boolean> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesRead } = await handle.read(bytes, done, bytes.length - done, position + done);
    if (bytesRead === 0) return false;
    done += bytesRead;
  }
  return true;
}

/**
 * The cached model, or undefined when there is no cache or it is unreadable, truncated, of
 * another format version, made from another source or fails its checksum. With `wasmLeaves`,
 * the leaves are read straight into WebAssembly memory laid out for the kernel.
 */
export async function readCache(
  cache: ModelCache,
  wasmLeaves: boolean,
): Promise<ShapePredictorModel | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(cache.file, 'r');
  } catch (error) {
    if (isSystemError(error)) return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const fixed = new Uint8Array(HEAD_BYTES);
    if (!(await readFully(handle, fixed, 0))) return undefined;
    const h = parseHead(fixed);
    if (!h || h.fileLength !== size || h.leavesAt > size) return undefined;
    const head = new Uint8Array(h.leavesAt);
    if (!(await readFully(handle, head, 0))) return undefined;
    const layout = parseLayout(head, h, cache.identity);
    if (!layout) return undefined;
    const leaves = (wasmLeaves && leafMemory(layout.sizes)) || new Float32Array((size - h.leavesAt) / 4);
    const leafBytes = new Uint8Array(leaves.buffer, leaves.byteOffset, leaves.byteLength);
    if (!(await readFully(handle, leafBytes, h.leavesAt))) return undefined;
    return checksumMatches(head, leaves, h) ? viewModel(head, leaves, layout) : undefined;
  } catch (error) {
    if (isSystemError(error)) return undefined;
    throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Writes the cache of `model`, atomically: a temporary file beside it, then a rename, so that a
 * reader sees the old file or the whole new one. Where the store cannot be written (read-only,
 * full, not a directory) it writes nothing: the caller works without a cache.
 */
export async function writeCache(cache: ModelCache, model: ShapePredictorModel): Promise<void> {
  const chunks = encodeCache(model, cache.identity);
  if (!chunks) return;
  const partial = `${cache.file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await mkdir(dirname(cache.file), { recursive: true });
    // No fsync: a file torn by a crash fails its length or checksum test and is rebuilt.
    await writeFile(partial, chunks, { flag: 'wx' });
    await rename(partial, cache.file);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => {});
    if (!isSystemError(error)) throw error;
  }
}
