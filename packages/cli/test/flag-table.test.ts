import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { buildProgram, run } from '../src/program.js';

/** Every command and subcommand with its path, e.g. `models install`. */
function commandsOf(command: Command, path = ''): [string, Command][] {
  return command.commands.flatMap((c) => {
    const name = `${path}${c.name()}`;
    return [[name, c] as [string, Command], ...commandsOf(c, `${name} `)];
  });
}

// The original's -d and -p meant different things in demo.py and train_liveness.py; each keeps its
// script's meaning in the command that ports it (README, flag table).
const PORTED_COLLISIONS: Record<string, Record<string, string>> = {
  '-d': { demo: '--detector-model', train: '--train-dataset' },
  '-p': { demo: '--shape-predictor', train: '--plot' },
};

describe('the flag table', () => {
  it('gives a short flag one long name in every command, and a long name one short flag', () => {
    const longs = new Map<string, Set<string>>();
    const shorts = new Map<string, Set<string>>();
    const add = (map: Map<string, Set<string>>, key: string, value: string) =>
      map.set(key, (map.get(key) ?? new Set()).add(value));
    for (const [name, command] of commandsOf(buildProgram())) {
      for (const { short, long } of command.options) {
        if (short && PORTED_COLLISIONS[short]) {
          expect(PORTED_COLLISIONS[short][name], `${name} ${short}`).toBe(long);
          continue;
        }
        if (short) add(longs, short, long as string);
        add(shorts, long as string, short ?? '(none)');
      }
    }
    for (const [short, names] of longs) expect([...names], short).toHaveLength(1);
    for (const [long, names] of shorts) expect([...names], long).toHaveLength(1);
    expect([...(longs.get('-c') ?? [])]).toEqual(['--confidence']);
  });

  it('refuses -w without -he (and -he without -w) in every command that has them', async () => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
    try {
      for (const args of [
        ['classify', '-w', '32', 'x.png'],
        ['evaluate', '-dv', 'data', '-he', '32'],
        ['train', '-d', 'a', '-dv', 'b', '-m', 'c', '-w', '16'],
        ['demo', '-v', 'clip.mp4', '-he', '32'],
        ['analyze', 'clip.mp4', '-w', '32'],
      ]) {
        err.length = 0;
        expect(await run(['node', 'face-liveness', ...args]), args.join(' ')).toBe(2);
        expect(err.join(''), args.join(' ')).toMatch(/give both -w\/--width and -he\/--height, or neither/);
      }
    } finally {
      spy.mockRestore();
    }
  });
});
