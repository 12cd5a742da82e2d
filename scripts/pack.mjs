#!/usr/bin/env node
// Packs every public package of the repository into one folder and prints the single
// `npm install` command that puts them into another app: the way to use face-liveness before it
// is on the registry (the packages depend on each other by exact version, so they are installed
// together). Build first (`npm run build`): packing does not compile.
//
//   node scripts/pack.mjs [DIR] [PACKAGE...]   pack into DIR (default ./dist-packages); print the
//                                              command for PACKAGE... (e.g. pipeline cli) and the
//                                              packages they depend on, or for all of them
//   node scripts/pack.mjs DIR --print PACKAGE...   only print, from tarballs already in DIR
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const printOnly = args.includes('--print');
const [dirArg, ...wanted] = args.filter((a) => a !== '--print');
const out = resolve(dirArg ?? join(root, 'dist-packages'));

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter((pkg) => !pkg.private);
const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
const tarball = (pkg) => join(out, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`);

/** The named packages and every workspace package they depend on. */
function closure(names) {
  const seen = new Set();
  const visit = (name) => {
    const pkg = byName.get(name) ?? byName.get(`@face-liveness/${name}`);
    if (!pkg) throw new Error(`no public package ${name}: ${[...byName.keys()].join(', ')}`);
    if (seen.has(pkg)) return;
    seen.add(pkg);
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (byName.has(dep)) visit(dep);
  };
  for (const name of names) visit(name);
  return [...seen];
}

/**
 * Silent-Face's MiniFASNet models (Apache-2.0) ship inside @face-liveness/minifasnet but are not in
 * the repository: they are copied from ../shared (or $FACE_LIVENESS_SHARED) into its models/ for the
 * pack only, with their licence. Returns the files placed, to remove afterwards.
 */
function placeMiniFasNet() {
  const shared = resolve(process.env.FACE_LIVENESS_SHARED ?? join(root, '..', 'shared'));
  const source = join(shared, 'models', 'peers', 'minifasnet');
  const target = join(root, 'packages', 'minifasnet', 'models');
  const { sha256 } = JSON.parse(readFileSync(join(target, 'metadata.json'), 'utf8'));
  const files = [...Object.keys(sha256), 'LICENSE-Apache-2.0.txt'];
  const missing = files.filter((f) => !existsSync(join(source, f)));
  if (missing.length > 0) {
    console.error(
      `MiniFASNet model files not found in ${source} (${missing.join(', ')}): @face-liveness/minifasnet is packed without them (set FACE_LIVENESS_SHARED)`,
    );
    return [];
  }
  return files.map((f) => {
    copyFileSync(join(source, f), join(target, f));
    return join(target, f);
  });
}

if (!printOnly) {
  for (const { dir } of packages) {
    if (!existsSync(join(dir, 'dist'))) {
      console.error(`${dir}/dist is missing: run \`npm run build\` first.`);
      process.exit(1);
    }
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const placed = placeMiniFasNet();
  let json;
  try {
    // Named workspaces, not folders: a folder also selects the private workspaces nested in it.
    json = execFileSync(
      'npm',
      ['pack', '--json', '--pack-destination', out, ...packages.flatMap((pkg) => ['-w', pkg.name])],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
  } finally {
    for (const file of placed) rmSync(file, { force: true });
  }
  for (const p of JSON.parse(json)) {
    console.error(
      `${p.filename.padEnd(40)} ${(p.size / 1e6).toFixed(2).padStart(5)} MB, ${p.entryCount} files`,
    );
  }
}
const chosen = wanted.length > 0 ? closure(wanted) : packages;
console.log(`npm install ${chosen.map(tarball).join(' ')}`);
