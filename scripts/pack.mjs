#!/usr/bin/env node
// Packs every public package of the repository into one folder and prints the single
// `npm install` command that puts them all into another app: the way to use face-liveness
// before it is on the registry (the packages depend on each other by exact version, so they
// must be installed together). Workspaces are named, not given as folders, because a folder also
// selects the private workspaces nested in it (bench, experiments). Build first (`npm run build`): packing does not compile.
//
//   node scripts/pack.mjs [OUT_DIR]        (default: ./dist-packages)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(root, 'dist-packages'));

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter((pkg) => !pkg.private);

for (const { dir } of packages) {
  if (!existsSync(join(dir, 'dist'))) {
    console.error(`${dir}/dist is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const json = execFileSync(
  'npm',
  ['pack', '--json', '--pack-destination', out, ...packages.flatMap((pkg) => ['-w', pkg.name])],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
const packed = JSON.parse(json);
for (const p of packed) {
  console.error(
    `${p.filename.padEnd(44)} ${(p.size / 1e6).toFixed(2).padStart(6)} MB packed, ${p.entryCount} files`,
  );
}
console.log(`npm install ${packed.map((p) => join(out, p.filename)).join(' ')}`);
