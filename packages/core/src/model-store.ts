import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { InvalidInputError, ModelNotFoundError } from './errors.js';

/** One installed model, as recorded in the store's `manifest.json`. */
export interface ModelEntry {
  /** Store key, e.g. `res10-ssd` or `livenessnet`. */
  name: string;
  /** File or directory name inside the store directory. */
  file: string;
  /** sha256 of the file (hex); for a directory, of its `model.json`. */
  sha256: string;
  /** Where it came from: a path, a URL or `converted from ...`. */
  source: string;
  /** ISO time of installation. */
  installedAt: string;
}

interface Manifest {
  version: 1;
  models: Record<string, ModelEntry>;
}

/** The store directory: `$FACE_LIVENESS_HOME`, else `~/.cache/face-liveness`. */
export function defaultStoreDir(): string {
  return process.env.FACE_LIVENESS_HOME || join(homedir(), '.cache', 'face-liveness');
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** A temporary name beside `target`, unique per process and call, so concurrent installs never collide. */
function partialName(target: string): string {
  return `${target}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
}

/**
 * The one place that knows where model files live. Resolution order: an explicit path given by
 * the caller, then the store directory and its manifest. Nothing is downloaded here: installers
 * put files in, `resolve()` only finds them and says how to get what is missing.
 */
export class ModelStore {
  readonly dir: string;

  constructor(dir: string = defaultStoreDir()) {
    this.dir = resolve(dir);
  }

  private get manifestPath(): string {
    return join(this.dir, 'manifest.json');
  }

  async list(): Promise<ModelEntry[]> {
    return Object.values((await this.readManifest()).models);
  }

  async get(name: string): Promise<ModelEntry | undefined> {
    return (await this.readManifest()).models[name];
  }

  /**
   * The path of model `name`: `explicitPath` when given (it must exist), else the installed copy,
   * else `fallbackPath` when it exists (a copy a system package or an npm package ships).
   * `howToGet` is appended to the error when none exists, e.g. the install command to run.
   */
  async resolve(name: string, explicitPath?: string, howToGet = '', fallbackPath?: string): Promise<string> {
    if (explicitPath !== undefined) {
      const path = resolve(explicitPath);
      if (!existsSync(path)) throw new InvalidInputError(`model file not found: ${path}`);
      return path;
    }
    const entry = await this.get(name);
    const path = entry && join(this.dir, entry.file);
    if (path && existsSync(path)) return path;
    if (fallbackPath !== undefined && existsSync(fallbackPath)) return fallbackPath;
    throw new ModelNotFoundError(
      `model '${name}' is not installed in ${this.dir} (set FACE_LIVENESS_HOME to use another store)` +
        (howToGet ? `; ${howToGet}` : ''),
    );
  }

  /** Copies `sourcePath` (a file) into the store under `name` and records it. */
  async installFile(
    name: string,
    sourcePath: string,
    source = sourcePath,
    file = basename(sourcePath),
  ): Promise<ModelEntry> {
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, file);
    const partial = partialName(target);
    await copyFile(sourcePath, partial);
    await rename(partial, target);
    return this.record({
      name,
      file,
      sha256: await sha256File(target),
      source,
      installedAt: new Date().toISOString(),
    });
  }

  /** Writes `bytes` into the store as `file` under `name` and records it. */
  async installBytes(name: string, file: string, bytes: Uint8Array, source: string): Promise<ModelEntry> {
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, file);
    const partial = partialName(target);
    await writeFile(partial, bytes);
    await rename(partial, target);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.record({ name, file, sha256, source, installedAt: new Date().toISOString() });
  }

  /** Records an entry whose files the caller already placed in the store directory. */
  async record(entry: ModelEntry): Promise<ModelEntry> {
    const manifest = await this.readManifest();
    manifest.models[entry.name] = entry;
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.manifestPath}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(tmp, this.manifestPath);
    return entry;
  }

  private async readManifest(): Promise<Manifest> {
    try {
      await stat(this.manifestPath);
    } catch {
      return { version: 1, models: {} };
    }
    try {
      const parsed = JSON.parse(await readFile(this.manifestPath, 'utf8')) as Manifest;
      if (parsed.version !== 1 || typeof parsed.models !== 'object')
        throw new Error('unknown manifest version');
      return parsed;
    } catch (error) {
      throw new InvalidInputError(
        `model store manifest ${this.manifestPath} is unreadable (${(error as Error).message}); delete it and reinstall the models`,
      );
    }
  }
}
