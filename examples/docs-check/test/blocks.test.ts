import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { blockFile, blockModule, GUIDES, guideBlocks, NORUN_LINE, REPO } from './guide-runner.js';

const guides = GUIDES.map((name) => ({ name, blocks: guideBlocks(name) }));

describe('docs/guides code blocks', () => {
  it('use only the languages the check knows, and `norun` only to install the project', () => {
    for (const { name, blocks } of guides) {
      expect(blocks.length, `${name}.md has code`).toBeGreaterThan(0);
      for (const block of blocks) {
        const where = `${name}.md:${block.line}`;
        expect(['sh', 'ts', 'json', 'text'], where).toContain(block.lang);
        if (block.meta.includes('norun')) {
          expect(block.lang, where).toBe('sh');
          for (const line of block.code.split('\n')) expect(line, where).toMatch(NORUN_LINE);
        }
        if (block.lang === 'json') expect(() => JSON.parse(block.code), where).not.toThrow();
      }
    }
  });

  it('ts blocks type-check (strict, NodeNext) against the packages', () => {
    const dir = join(REPO, 'examples/docs-check/dist/typecheck');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    for (const { name, blocks } of guides) {
      for (const block of blocks.filter((b) => b.lang === 'ts')) {
        const file = blockFile('typecheck', name, block, '.mts');
        writeFileSync(file, blockModule(block));
        files.push(file);
      }
    }
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0;
      const where = d.file ? `${d.file.fileName.replace(`${dir}/`, '')}:${line}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  });
});
