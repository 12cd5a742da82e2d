import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidInputError, ModelNotFoundError } from './errors.js';
import { withFileLock } from './file-lock.js';
import { ModelIntegrityError } from './model-errors.js';
import type { Manifest, ModelEntry } from './model-manifest.js';
import { fileIdentity, sha256File, sha256Tree, VerifyCache } from './model-verify.js';

export type { ModelEntry } from './model-manifest.js';
export { sha256File } from './model-verify.js';

/** What {@link ModelStore.verify} found for one entry. */
export interface ModelCheck {
  name: string;
  /** The file or directory checked. */
  path: string;
  /** Undefined when the model is intact; else what is wrong and how to fix it. */
  problem?: string;
}

/** The store directory: `$FACE_LIVENESS_HOME`, else `~/.cache/face-liveness`. */
export function defaultStoreDir(): string {
  return process.env.FACE_LIVENESS_HOME || join(homedir(), '.cache', 'face-liveness');
}

/** A temporary name beside `target`, unique per process and call, so concurrent installs never collide. */
function partialName(target: string): string {
  return `${target}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
}

const isInside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
};

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * The one place that knows where model files live. Resolution order: an explicit path given by
 * the caller, then the store directory and its manifest. Nothing is downloaded here: installers
 * put files in, `resolve()` only finds them and says how to get what is missing. An installed
 * model is only used intact: inside the store, with the sha256 it was installed with (hashed once
 * per change of the file, see {@link VerifyCache}).
 */
export class ModelStore {
  readonly dir: string;
  private readonly verified: VerifyCache;

  constructor(dir: string = defaultStoreDir()) {
    this.dir = resolve(dir);
    this.verified = new VerifyCache(this.dir);
  }

  private get manifestPath(): string {
    return join(this.dir, 'manifest.json');
  }

  async list(): Promise<ModelEntry[]> {
    return Object.values((await this.readManifest()).models);
  }

  async get(name: string): Promise<ModelEntry | undefined> {
    const { models } = await this.readManifest();
    return Object.hasOwn(models, name) ? models[name] : undefined;
  }

  /**
   * The path of model `name`: `explicitPath` when given (it must exist), else the installed copy
   * once verified, else `fallbackPath` when it exists (a copy a system package or an npm package
   * ships). `howToGet` is appended to the error when none exists, e.g. the install command to run.
   * An installed copy that is missing or altered is a `ModelIntegrityError`, never a fallback.
   */
  async resolve(name: string, explicitPath?: string, howToGet = '', fallbackPath?: string): Promise<string> {
    if (explicitPath !== undefined) {
      const path = resolve(explicitPath);
      if (!existsSync(path)) throw new InvalidInputError(`model file not found: ${path}`);
      return path;
    }
    const entry = await this.get(name);
    if (entry) {
      const problem = await this.check(entry, false);
      if (problem)
        throw new ModelIntegrityError(this.integrityMessage(entry, problem, fallbackPath ? '' : howToGet));
      return join(this.dir, entry.file);
    }
    if (fallbackPath !== undefined && existsSync(fallbackPath)) return fallbackPath;
    throw new ModelNotFoundError(
      `model '${name}' is not installed in ${this.dir} (set FACE_LIVENESS_HOME to use another store)` +
        (howToGet ? `; ${howToGet}` : ''),
    );
  }

  /**
   * Checks every installed model (or those named), hashing each file again whatever the cache
   * says. `howToGet(name)` adds the install command to a problem's fix.
   */
  async verify(
    names?: readonly string[],
    howToGet: (name: string) => string = () => '',
  ): Promise<ModelCheck[]> {
    const entries = await this.list();
    const unknown = names?.filter((n) => !entries.some((e) => e.name === n)) ?? [];
    if (unknown.length > 0) {
      throw new ModelNotFoundError(`not installed in ${this.dir}: ${unknown.join(', ')}`);
    }
    const checks: ModelCheck[] = [];
    for (const entry of entries.filter((e) => !names || names.includes(e.name))) {
      const problem = await this.check(entry, true);
      checks.push({
        name: entry.name,
        path: join(this.dir, entry.file),
        problem: problem && this.integrityMessage(entry, problem, howToGet(entry.name)),
      });
    }
    return checks;
  }

  /** Copies `sourcePath` (a file) into the store under `name` and records it. */
  async installFile(
    name: string,
    sourcePath: string,
    source = sourcePath,
    file = basename(sourcePath),
  ): Promise<ModelEntry> {
    await this.makeDir();
    const sha256 = await sha256File(sourcePath);
    const target = join(this.dir, file);
    const partial = partialName(target);
    await copyFile(sourcePath, partial);
    await rename(partial, target);
    return this.record({ name, file, sha256, source, installedAt: new Date().toISOString() });
  }

  /** Writes `bytes` into the store as `file` under `name` and records it. */
  async installBytes(name: string, file: string, bytes: Uint8Array, source: string): Promise<ModelEntry> {
    await this.makeDir();
    const target = join(this.dir, file);
    const partial = partialName(target);
    await writeFile(partial, bytes);
    await rename(partial, target);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.record({ name, file, sha256, source, installedAt: new Date().toISOString() });
  }

  /**
   * Records an entry whose files the caller already placed in the store directory, after checking
   * that they are inside it and have `entry.sha256`; for a directory, with the sha256 of each of
   * its files (`files`), so that weights are checked as well as model.json. Safe against other processes recording at
   * the same time (a lock file around re-read, merge and atomic replace).
   */
  async record(entry: ModelEntry): Promise<ModelEntry> {
    (await validator()).checkEntry(entry);
    await this.makeDir();
    const path = join(this.dir, entry.file);
    const isDir = await stat(path).then(
      (s) => s.isDirectory(),
      () => false,
    );
    const recorded = isDir && isInside(this.dir, path) ? { ...entry, files: await sha256Tree(path) } : entry;
    const problem = await this.check(recorded, true);
    if (problem) throw new ModelIntegrityError(`cannot record model '${entry.name}': ${problem}`);
    await this.updateManifest((models) => {
      models[entry.name] = recorded;
    });
    return recorded;
  }

  /** Forgets model `name` (its files stay in the store directory). Works on a manifest whose other entries are invalid. */
  async remove(name: string): Promise<void> {
    await this.updateManifest((models) => {
      if (!Object.hasOwn(models, name))
        throw new ModelNotFoundError(`model '${name}' is not installed in ${this.dir}`);
      delete models[name];
    });
  }

  /** What is wrong with `entry`'s files, or undefined; `force` hashes even unchanged files. */
  private async check(entry: ModelEntry, force: boolean): Promise<string | undefined> {
    const missing = (error: unknown) => errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR';
    const outside = async (path: string) =>
      !isInside(this.dir, path) || !isInside(await realpath(this.dir), await realpath(path));
    const outsideMessage = (path: string) =>
      `${path} lies outside the store (models are only loaded from inside ${this.dir})`;
    const root = join(this.dir, entry.file);
    let targets: { file: string; sha256: string }[];
    try {
      if (await outside(root)) return outsideMessage(root);
      // A directory model (TensorFlow.js) is identified by its model.json, and its other files by `files`.
      targets = (await stat(root)).isDirectory()
        ? [
            { file: join(entry.file, 'model.json'), sha256: entry.sha256 },
            ...Object.entries(entry.files ?? {}).map(([f, sha256]) => ({
              file: join(entry.file, f),
              sha256,
            })),
          ]
        : [{ file: entry.file, sha256: entry.sha256 }];
    } catch (error) {
      if (missing(error)) return `its file ${root} is missing`;
      throw error;
    }
    for (const { file, sha256 } of targets) {
      const path = join(this.dir, file);
      let identity: string;
      try {
        if (await outside(path)) return outsideMessage(path);
        identity = await fileIdentity(path);
      } catch (error) {
        if (missing(error)) return `its file ${path} is missing`;
        throw error;
      }
      if (!force && (await this.verified.has(file, sha256, identity))) continue;
      const actual = await sha256File(path);
      if (actual !== sha256) {
        return `${path} was altered: its sha256 is ${actual}, it was installed with ${sha256}`;
      }
      await this.verified.remember(file, sha256, identity);
    }
    return undefined;
  }

  private integrityMessage(entry: ModelEntry, problem: string, howToGet: string): string {
    return (
      `model '${entry.name}' in ${this.dir} cannot be used: ${problem}. Reinstall it (it came from: ` +
      `${entry.source})${howToGet ? `: ${howToGet}` : ''}, or forget it with \`face-liveness models remove ${entry.name}\``
    );
  }

  /** Creates the store directory; a file in its place is the user's to fix. */
  private async makeDir(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (error) {
      if (errno(error) === 'EEXIST' || errno(error) === 'ENOTDIR') throw this.notADirectory();
      throw error;
    }
  }

  private notADirectory(): InvalidInputError {
    return new InvalidInputError(
      `the model store ${this.dir} is not a directory: point FACE_LIVENESS_HOME at a directory ` +
        '(or unset it to use ~/.cache/face-liveness)',
    );
  }

  private async readText(): Promise<string | undefined> {
    try {
      return await readFile(this.manifestPath, 'utf8');
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      if (errno(error) === 'ENOTDIR') throw this.notADirectory();
      throw new InvalidInputError(
        `cannot read the model store manifest ${this.manifestPath}: ${(error as Error).message}`,
      );
    }
  }

  private async readManifest(): Promise<Manifest> {
    const text = await this.readText();
    if (text === undefined) return { version: 1, models: {} };
    if (await this.verified.isValidManifest(text)) return JSON.parse(text);
    const manifest = (await validator()).parseManifest(text, this.manifestPath);
    await this.verified.rememberValidManifest(text);
    return manifest;
  }

  /**
   * Applies `change` to the manifest's entries under the lock and replaces the file atomically.
   * Only the manifest's outline must be valid, so that a bad entry can be replaced or removed.
   */
  private async updateManifest(change: (models: Record<string, ModelEntry>) => void): Promise<void> {
    await this.makeDir();
    await withFileLock(`${this.manifestPath}.lock`, async () => {
      const text = await this.readText();
      const manifest: Manifest =
        text === undefined ? { version: 1, models: {} } : await outline(text, this.manifestPath);
      change(manifest.models);
      const tmp = partialName(this.manifestPath);
      await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
      await rename(tmp, this.manifestPath).catch(async (error) => {
        await rm(tmp, { force: true });
        throw error;
      });
    });
  }
}

// The schema validator takes tens of milliseconds to load: only when a manifest is new or written.
const validator = () => import('./model-manifest.js');

/** The manifest in `text` with its entries unchecked: `parseManifest`'s errors, entries aside. */
async function outline(text: string, path: string): Promise<Manifest> {
  try {
    return (await validator()).parseManifest(text, path);
  } catch (error) {
    let value: Manifest | undefined;
    try {
      value = JSON.parse(text);
    } catch {
      throw error;
    }
    const models = value?.models;
    if (value?.version === 1 && typeof models === 'object' && models !== null && !Array.isArray(models)) {
      return value as Manifest;
    }
    throw error;
  }
}
