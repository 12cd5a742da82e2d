import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidInputError } from './errors.js';

// A relative path that cannot leave the store: not absolute (POSIX, drive letter or UNC), no `..`
// segment, no NUL. Symlinks are refused apart, when the path is resolved.
const INSIDE_STORE = '^(?![/\\\\])(?![A-Za-z]:)(?!(?:.*[/\\\\])?\\.\\.(?:[/\\\\]|$))[^\\0]+$';

const SHA256 = '^[0-9a-f]{64}$';

const entrySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'a non-empty string' }),
    file: Type.String({
      pattern: INSIDE_STORE,
      description:
        'a path relative to the store directory, without ".." (the model must be inside the store)',
    }),
    sha256: Type.String({ pattern: SHA256, description: '64 lowercase hexadecimal digits' }),
    source: Type.String({ description: 'a string' }),
    installedAt: Type.String({ minLength: 1, description: 'an ISO date string' }),
    files: Type.Optional(
      Type.Record(
        Type.String(),
        Type.String({ pattern: SHA256, description: '64 lowercase hexadecimal digits' }),
        {
          description: 'an object of sha256 by file inside the model directory',
        },
      ),
    ),
  },
  { description: 'an object with name, file, sha256, source and installedAt' },
);

const manifestSchema = Type.Object(
  {
    version: Type.Literal(1, { description: '1 (the only version this release reads)' }),
    models: Type.Record(Type.String(), entrySchema, { description: 'an object of entries by name' }),
  },
  { description: 'an object with "version": 1 and "models"' },
);

/** One installed model, as recorded in the store's `manifest.json`. */
export interface ModelEntry extends Static<typeof entrySchema> {
  /** Store key, e.g. `res10-ssd` or `livenessnet`. */
  name: string;
  /** File or directory inside the store directory, relative to it. */
  file: string;
  /** sha256 of the file (hex); for a directory, of its `model.json`. */
  sha256: string;
  /** Where it came from: a path, a URL or `converted from ...`. */
  source: string;
  /** ISO time of installation. */
  installedAt: string;
  /** For a directory: sha256 of every file in it, by relative path (recorded by `record()`). */
  files?: Record<string, string>;
}

export type Manifest = Static<typeof manifestSchema>;

/** `/models/res10-ssd/sha256` → `res10-ssd`; undefined above the entries. */
function entryOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts[1] === 'models' && parts.length > 2
    ? parts[2]?.replace(/~1/g, '/').replace(/~0/g, '~')
    : undefined;
}

/** What is wrong with `value` as a manifest, one line per field, first error per field. */
function problems(value: unknown): { entries: Set<string>; lines: string[] } {
  const seen = new Set<string>();
  const entries = new Set<string>();
  const lines: string[] = [];
  for (const error of Value.Errors(manifestSchema, value)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    const entry = entryOf(error.path);
    if (entry !== undefined) entries.add(entry);
    const field =
      error.path
        .split('/')
        .slice(entry === undefined ? 1 : 3)
        .join('.') || (entry === undefined ? 'the manifest' : 'the entry');
    const where = entry === undefined ? '' : `entry "${entry}": `;
    const missing = error.message === 'Expected required property' ? ' is missing: it' : '';
    lines.push(`${where}${field}${missing} must be ${error.schema.description}`);
  }
  for (const [key, entry] of Object.entries((value as Manifest)?.models ?? {})) {
    if (typeof entry === 'object' && entry?.name !== undefined && entry.name !== key) {
      entries.add(key);
      lines.push(`entry "${key}": name must be "${key}", its key (got ${JSON.stringify(entry.name)})`);
    }
  }
  return { entries, lines };
}

/**
 * `text` (the contents of `path`) as a manifest. Throws an `InvalidInputError` naming the file,
 * each bad entry and field, and the fix: remove or reinstall the entry, or delete the file.
 */
export function parseManifest(text: string, path: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      `model store manifest ${path} is not JSON (${(error as Error).message}); ` +
        'fix: delete it and reinstall the models',
    );
  }
  const { entries, lines } = problems(value);
  if (lines.length === 0) return value as Manifest;
  const fix = lines.every((l) => l.startsWith('entry "'))
    ? `fix: run \`face-liveness models remove ${[...entries].join(' ')}\` (then reinstall what you need), or edit the file`
    : 'fix: delete it and reinstall the models';
  throw new InvalidInputError(`model store manifest ${path} is invalid: ${lines.join('; ')}; ${fix}`);
}

/** `entry` checked alone, before it is recorded: a caller's mistake, not a damaged file. */
export function checkEntry(entry: ModelEntry): void {
  const { lines } = problems({ version: 1, models: { [entry.name]: entry } });
  if (lines.length > 0)
    throw new InvalidInputError(`cannot record model "${entry.name}": ${lines.join('; ')}`);
}
