import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaceLivenessError } from '@face-liveness/core';
import { DLIB_68_PATH, needFiles, sharedPath } from '@face-liveness/core/testing';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerQuality } from '../src/commands/quality.js';

const HELEN = sharedPath('data/landmarks-300w/helen-test');
const GROUP = sharedPath('data/dlib-faces/2008_001322.jpg');
const tmp = mkdtempSync(join(tmpdir(), 'fl-cli-quality-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `quality ...args` in this process (the command is registered by the integrator), collecting stdout. */
async function quality(args: string[]): Promise<{ out: string; error?: unknown }> {
  const program = new Command().exitOverride();
  registerQuality(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync([
      'node',
      'face-liveness',
      'quality',
      '--shape-predictor',
      DLIB_68_PATH,
      '--quiet',
      ...args,
    ]);
    return { out };
  } catch (error) {
    return { out, error };
  } finally {
    write.mockRestore();
    err.mockRestore();
  }
}

describe('face-liveness quality', () => {
  it('prints one JSON object per image, with pose, and names an unreadable input', async (ctx) => {
    needFiles(ctx, DLIB_68_PATH, HELEN, GROUP);
    const portrait = join(
      HELEN,
      readdirSync(HELEN)
        .filter((f) => f.endsWith('.jpg'))
        .sort()[0],
    );
    const broken = join(tmp, 'broken.jpg');
    writeFileSync(broken, 'not an image');
    const { out, error } = await quality([portrait, GROUP, broken, '--json']);
    expect(error).toBeInstanceOf(FaceLivenessError);
    expect((error as Error).message).toMatch(/1 of 3 images could not be read/);
    const [one, group, bad] = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(one.image).toBe(portrait);
    expect(one.faces.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(one.faces[0].pose)).toEqual(['yaw', 'pitch', 'roll']);
    expect(one.faces[0].checks.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining(['too-small', 'blurry', 'too-dark', 'turned', 'eyes-closed']),
    );
    expect(group.ok).toBe(false);
    expect(group.frame.find((c: { code: string }) => c.code === 'several-faces').ok).toBe(false);
    expect(bad).toEqual({ image: broken, error: expect.stringMatching(/broken\.jpg/) });
  });

  it('says what to do in plain lines', async (ctx) => {
    needFiles(ctx, DLIB_68_PATH, GROUP);
    const { out, error } = await quality([GROUP]);
    expect(error).toBeUndefined();
    expect(out).toMatch(
      /2008_001322\.jpg: \d+ problems?\n {2}more than one face: only the person checking should be in view \[several-faces: \d+, at most 1\]/,
    );
    expect(out).toMatch(/face 1: yaw -?\d/);
  });
});
