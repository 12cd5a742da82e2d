import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Import hygiene over the whole repository: every package a file imports is declared in the
// package.json nearest to that file (benches, experiments and tests included), and no package's
// sources import each other in a cycle.
const REPO = resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.git', '.nx', 'coverage', 'docs']);
const SOURCE = /\.(ts|mts|mjs|js)$/;
const IMPORT =
  /(?:^|[^\w.])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^\w.])import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
}

function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const name = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0];
  return builtinModules.includes(name) ? undefined : name;
}

function nearestManifest(file: string): string {
  for (let dir = dirname(file); dir.startsWith(REPO); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'package.json');
  }
  throw new Error(`no package.json above ${file}`);
}

const files = sourceFiles(REPO).filter((f) => !relative(REPO, f).startsWith('test/'));
// Tests run under the root's vitest: the root's dev tools (vitest, typescript) serve them all.
const rootDevTools = Object.keys(
  JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).devDependencies,
);
const isTest = (file: string) => relative(REPO, file).split('/').includes('test');

describe('imports', () => {
  it('are all declared in the nearest package.json', () => {
    const undeclared: string[] = [];
    for (const file of files) {
      const manifestPath = nearestManifest(file);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const declared = new Set([
        manifest.name,
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.devDependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
        ...Object.keys(manifest.optionalDependencies ?? {}),
        ...(isTest(file) ? rootDevTools : []),
      ]);
      for (const name of specifiers(file).map(packageName)) {
        if (name && !declared.has(name)) {
          undeclared.push(`${relative(REPO, file)} imports ${name}, not in ${relative(REPO, manifestPath)}`);
        }
      }
    }
    expect([...new Set(undeclared)]).toEqual([]);
  });

  it('form no cycle inside any package', () => {
    const graph = new Map<string, string[]>();
    for (const file of files.filter((f) => f.includes(`${'/'}src${'/'}`))) {
      const targets = specifiers(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'))
        .filter((t) => existsSync(t) && statSync(t).isFile());
      graph.set(file, targets);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') {
          cycles.push(
            stack
              .slice(stack.indexOf(next))
              .concat(next)
              .map((f) => relative(REPO, f))
              .join(' -> '),
          );
        } else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
