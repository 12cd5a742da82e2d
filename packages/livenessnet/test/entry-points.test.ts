import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};

interface Imports {
  /** Relative imports, as absolute `.ts` paths. */
  files: string[];
  packages: string[];
}

/**
 * The static imports of a source file. `withTypes` false leaves out `import type` / `export type`
 * (erased from the JavaScript); an `import { type X }` still counts, as the JavaScript keeps it.
 * Dynamic `import()` is not static and never counts.
 */
function importsOf(file: string, withTypes: boolean): Imports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: Imports = { files: [], packages: [] };
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const typeOnly = ts.isImportDeclaration(statement)
      ? statement.importClause?.isTypeOnly
      : statement.isTypeOnly;
    const specifier = statement.moduleSpecifier;
    if ((typeOnly && !withTypes) || !specifier || !ts.isStringLiteral(specifier)) continue;
    if (specifier.text.startsWith('.')) {
      found.files.push(resolve(dirname(file), specifier.text.replace(/\.js$/, '.ts')));
    } else {
      found.packages.push(specifier.text);
    }
  }
  return found;
}

/** Every source file an entry loads statically, and the packages those files import. */
function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const imports = importsOf(file, false);
    for (const name of imports.packages) packages.add(name);
    for (const next of imports.files) visit(next);
  };
  visit(join(SRC, entry));
  return { files: [...files].map((f) => relative(SRC, f)).sort(), packages: [...packages].sort() };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The cycles among the package's files, type imports included, each as a path of relative names. */
function cycles(): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string) => {
    const at = stack.indexOf(file);
    if (at >= 0) {
      found.push([...stack.slice(at), file].map((f) => relative(SRC, f)));
      return;
    }
    if (done.has(file)) return;
    stack.push(file);
    for (const next of importsOf(file, true).files) visit(next);
    stack.pop();
    done.add(file);
  };
  for (const file of sourceFiles(SRC)) visit(file);
  return found;
}

const OPTIONAL_PEERS = ['h5wasm', '@napi-rs/canvas'];

describe('entry points', () => {
  it('every subpath export names a built file of an existing source', () => {
    for (const [subpath, target] of Object.entries(PACKAGE.exports)) {
      const source = target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
      expect(existsSync(join(ROOT, source)), `${subpath} -> ${source}`).toBe(true);
      expect(target.types).toBe(target.default.replace(/\.js$/, '.d.ts'));
    }
  });

  it('the runtime entry loads inference code only: no tfjs-layers, training, evaluation, Keras, plotting or synthesis', () => {
    const { files, packages } = staticGraph('index.ts');
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([
      '@face-liveness/core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-core',
    ]);
    const tooling =
      /^(train|evaluate|keras|synth|architectures)\/|^(plot|dataset|extract|rng|classification-report)\.ts$|^io\/save\.ts$/;
    expect(files.filter((f) => tooling.test(f))).toEqual([]);
  });

  it('no entry imports an optional peer statically: each loads it when its feature runs', () => {
    for (const target of Object.values(PACKAGE.exports)) {
      const entry = target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts');
      expect(staticGraph(entry).packages.filter((p) => OPTIONAL_PEERS.some((o) => p.startsWith(o)))).toEqual(
        [],
      );
    }
  });

  it('has no import cycle, type imports included', () => {
    expect(cycles()).toEqual([]);
  });
});
