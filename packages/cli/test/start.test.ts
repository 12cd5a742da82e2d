import { ROTATIONS } from '@face-liveness/core';
import { DETECTOR_NAMES } from '@face-liveness/face-detector';
import { LIVENESS_MODEL_NAME } from '@face-liveness/livenessnet';
import { ATTACK_KINDS } from '@face-liveness/livenessnet/synth';
import { architectures, DEFAULT_ARCHITECTURE } from '@face-liveness/livenessnet/train';
import { FUSION_POLICIES } from '@face-liveness/pipeline';
import { describe, expect, it } from 'vitest';
import * as names from '../src/options/names.js';
import { runCli } from './run-cli.js';

// Logs every package the CLI resolves, so that the test sees what starting it costs.
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(s, c, next) { const r = await next(s, c); ' +
  'const m = /node_modules\\\\/((?:@[^/]+\\\\/)?[^/]+)|packages\\\\/([^/]+)\\\\//.exec(r.url); ' +
  'if (m) process.stderr.write("LOADED " + (m[1] ?? m[2]) + "\\\\n"); return r; }'));
`)}`;

async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const { err } = await runCli(args, { env: { ...process.env, NODE_OPTIONS: `--import=${HOOK}` } });
  return [...new Set(err.match(/^LOADED .+$/gm)?.map((l) => l.slice(7)))].sort();
}

describe('starting the CLI', () => {
  it('loads no library for --version, --help and a command’s --help', async () => {
    for (const args of [['--version'], ['--help'], ['analyze', '--help']]) {
      expect(await packagesLoadedBy(args), args.join(' ')).toEqual(['cli', 'commander']);
    }
    // doctor defines itself with its libraries, so they load when it is asked for, and only then.
    expect(await packagesLoadedBy(['doctor', '--help'])).toContain('livenessnet');
  });

  it('offers the libraries’ own names in its flags', () => {
    expect(names.DETECTOR_NAMES).toEqual(DETECTOR_NAMES);
    expect(names.FUSION_POLICIES).toEqual(FUSION_POLICIES);
    expect(names.ATTACK_KINDS).toEqual(ATTACK_KINDS);
    expect(names.ORIENTATIONS).toEqual(['auto', ...ROTATIONS.map(String)]);
    expect(names.ARCHITECTURES).toEqual(Object.keys(architectures));
    expect(names.DEFAULT_ARCHITECTURE).toBe(DEFAULT_ARCHITECTURE);
    expect(names.LIVENESS_MODEL_NAME).toBe(LIVENESS_MODEL_NAME);
  });
});
