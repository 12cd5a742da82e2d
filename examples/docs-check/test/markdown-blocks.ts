/** A fenced code block of a guide: its language, the words after it, and where it starts. */
export interface CodeBlock {
  lang: string;
  meta: string[];
  code: string;
  line: number;
}

/** Fenced blocks (```lang meta...) of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`line ${start + 1}: code block is never closed`);
    blocks.push({
      lang: open[1],
      meta: open[2].trim().split(/\s+/).filter(Boolean),
      code: body.join('\n'),
      line: start + 1,
    });
  }
  return blocks;
}
