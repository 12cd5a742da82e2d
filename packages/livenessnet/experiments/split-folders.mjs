// Lays one role of experiments/split.json out as dataset folders of symlinks to the shared full frames,
// one per source, so that `face-liveness evaluate -dv DIR/<source> --detect` sees exactly those subjects:
//   DIR/nuaa/{real,fake/print}/<subject>-<file>, DIR/msu-mfsd/{real,fake}/<file>
//   node experiments/split-folders.mjs --out DIR [--role validation]
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { listRole } from './lib/split.mjs';

const { values: args } = parseArgs({
  options: { out: { type: 'string' }, role: { type: 'string', default: 'validation' } },
});
if (!args.out) throw new Error('--out DIR is required');
let made = 0;
for (const item of listRole(args.role).filter((i) => i.fullFrame)) {
  // NUAA attacks are printed photos; the folder name tells evaluate's attack-type rule so.
  const sub = item.label === 'fake' && item.source === 'nuaa' ? join('fake', 'print') : item.label;
  const dir = join(args.out, item.source, sub);
  mkdirSync(dir, { recursive: true });
  const link = join(dir, `${item.subject}-${basename(item.path)}`);
  if (!existsSync(link)) {
    symlinkSync(item.path, link);
    made++;
  }
}
process.stdout.write(`${made} links under ${args.out}\n`);
