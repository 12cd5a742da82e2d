import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** sha256 (hex) of a file, streamed: store models reach 100 MB. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** sha256 of every file under `dir` (a directory model), by path relative to it with `/`. */
export async function sha256Tree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
  const hashes: Record<string, string> = {};
  for (const file of files) hashes[file.split(sep).join('/')] = await sha256File(join(dir, file));
  return hashes;
}

/**
 * What `stat` says of a file, free of charge: size, modification and change times, inode. A
 * change of content changes the size or the times; the change time cannot be set back by hand
 * (only by moving the clock), so a file with this identity still has the bytes last hashed.
 */
export async function fileIdentity(path: string): Promise<string> {
  const s = await stat(path, { bigint: true });
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
}

interface CacheFile {
  version: 1;
  /** {@link manifestKey} of the manifest text last found valid. */
  manifest?: string;
  files: Record<string, { sha256: string; identity: string }>;
}

// Checks already made by this process, by absolute path: later resolves cost one stat.
const checked = new Map<string, string>();
// Keyed by the schema's version too, so that a release with another schema checks again.
const manifestKey = (text: string) => createHash('sha256').update(`schema 1\n${text}`).digest('hex');

// Keys of manifest texts this process found valid.
const validManifests = new Set<string>();

/**
 * The store's record of files whose sha256 matched, by identity (`<store>/verified.json`), so a
 * new process hashes a model only when it changed. The record only saves time: anyone who can
 * write it can write the manifest too, so it is trusted as much as the manifest is. Unreadable
 * or unwritable (a read-only store), it is ignored and files are hashed each time.
 */
export class VerifyCache {
  private readonly path: string;

  constructor(private readonly dir: string) {
    this.path = join(dir, 'verified.json');
  }

  /** Whether `file` (relative to the store) was verified to have `sha256` while it had `identity`. */
  async has(file: string, sha256: string, identity: string): Promise<boolean> {
    const key = `${sha256}|${identity}`;
    if (checked.get(join(this.dir, file)) === key) return true;
    const known = (await this.read()).files[file];
    if (known?.sha256 !== sha256 || known.identity !== identity) return false;
    checked.set(join(this.dir, file), key);
    return true;
  }

  async remember(file: string, sha256: string, identity: string): Promise<void> {
    checked.set(join(this.dir, file), `${sha256}|${identity}`);
    await this.update((cache) => {
      cache.files[file] = { sha256, identity };
    });
  }

  /**
   * Whether a manifest with this text was found valid before: the schema validator (tens of ms
   * to load) is then not needed at start-up.
   */
  async isValidManifest(text: string): Promise<boolean> {
    const sha256 = manifestKey(text);
    if (validManifests.has(sha256)) return true;
    if ((await this.read()).manifest !== sha256) return false;
    validManifests.add(sha256);
    return true;
  }

  async rememberValidManifest(text: string): Promise<void> {
    const sha256 = manifestKey(text);
    validManifests.add(sha256);
    await this.update((cache) => {
      cache.manifest = sha256;
    });
  }

  private async update(change: (cache: CacheFile) => void): Promise<void> {
    // Re-read just before writing so that another process's records are kept, then replace atomically.
    const cache = await this.read();
    change(cache);
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify(cache, null, 2)}\n`);
      await rename(tmp, this.path);
    } catch {
      await rm(tmp, { force: true });
    }
  }

  private async read(): Promise<CacheFile> {
    try {
      const value = JSON.parse(await readFile(this.path, 'utf8'));
      // Only the outline: an entry of another shape fails to match and its file is hashed again.
      if (value?.version === 1 && typeof value.files === 'object' && value.files !== null) return value;
    } catch {
      // Missing or damaged: the files are hashed again.
    }
    return { version: 1, files: {} };
  }
}
