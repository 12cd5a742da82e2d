// Resolves experiments/split.json into image lists: which files of ../shared/data play which role.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedDir } from '@face-liveness/core/testing';

export const SPLIT_PATH = new URL('../split.json', import.meta.url);
const IMAGE = /\.(jpe?g|png)$/i;

export function readSplit() {
  return JSON.parse(readFileSync(SPLIT_PATH, 'utf8'));
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && IMAGE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Items `{ path (absolute), image (relative to the shared folder), label: 'real'|'fake', source, subject,
 * attackType? , fullFrame, isCrop? }` of one role: 'train', 'dev', 'validation', 'train-real' (extra bona
 * fide) or, with `lodo`, 'test' (every subject of the held-out dataset). `community` adds livenessnet-community
 * (opt-in so that version 1 scripts build the same data); its images are detector crops (`isCrop`).
 * `lodo` ('msu' or 'nuaa', `split.lodo`) removes that dataset from every role but 'test'.
 */
export function listRole(role, split = readSplit(), { community = false, lodo } = {}) {
  if (lodo) {
    const heldOut = split.lodo[lodo]?.heldOut;
    if (!heldOut) throw new Error(`unknown leave-one-dataset-out protocol '${lodo}'`);
    const source = heldOut === 'msu-mfsd-train' ? 'msu-mfsd' : heldOut;
    if (role === 'test') {
      return ['train', 'dev', 'validation'].flatMap((r) =>
        listRole(r, split, { community: false }).filter((i) => i.source === source),
      );
    }
    return listRole(role, split, { community }).filter((i) => i.source !== source);
  }
  const root = sharedDir();
  const items = [];
  const add = (path, label, source, subject, fullFrame, attackType) =>
    items.push({ path, image: relative(root, path), label, source, subject, fullFrame, attackType });
  const nuaa = split.sources.nuaa;
  for (const subject of nuaa[role] ?? []) {
    for (const label of ['real', 'fake']) {
      for (const path of walk(join(root, nuaa.root, label, subject))) {
        add(path, label, 'nuaa', subject, true, label === 'fake' ? 'print' : undefined);
      }
    }
  }
  const msu = split.sources['msu-mfsd-train'];
  const subjects = new Set(msu[role] ?? []);
  for (const label of ['real', 'fake']) {
    for (const path of walk(join(root, msu.root, label))) {
      const subject = new RegExp(msu.subjectPattern).exec(path)?.[1];
      if (!subjects.has(subject)) continue;
      const attackType = label === 'fake' ? new RegExp(msu.attackTypePattern).exec(path)?.[1] : undefined;
      add(path, label, 'msu-mfsd', subject, true, attackType);
    }
  }
  const shared = split.sources['livenessnet-community'];
  for (const subject of community ? (shared[role] ?? []) : []) {
    for (const label of ['real', 'fake']) {
      const dir = join(root, shared.root, label, subject);
      if (!existsSync(dir)) continue;
      for (const path of walk(dir)) {
        const item = { path, image: relative(root, path), label, source: 'livenessnet-community', subject };
        items.push({
          ...item,
          fullFrame: false,
          isCrop: true,
          attackType: label === 'fake' ? 'replay' : undefined,
        });
      }
    }
  }
  for (const [name, source] of Object.entries(split.sources)) {
    if (name === 'nuaa' || name === 'msu-mfsd-train' || name === 'livenessnet-community') continue;
    if (source.use === role && role !== 'train-real') {
      for (const label of ['real', 'fake']) {
        for (const path of walk(join(root, source.root, label))) {
          add(path, label, name, name, false, label === 'fake' ? 'replay' : undefined);
        }
      }
    }
    if (source.use === 'train-real' && role === 'train-real') {
      const dirs = source.include
        ? source.include.map((d) => join(root, source.root, d))
        : [join(root, source.root)];
      for (const path of dirs.flatMap(walk)) add(path, 'real', name, name, true);
    }
  }
  return items;
}
