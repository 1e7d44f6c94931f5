import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../src/server/error-status.ts';

const API_MD = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');

/** Splits a table row into cells; a `\|` inside a cell is not a column break. */
const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

/** Consecutive lines that start with `|`, each block with its first line number. */
function tableBlocks(md: string): { line: number; rows: string[] }[] {
  const blocks: { line: number; rows: string[] }[] = [];
  md.split('\n').forEach((text, i) => {
    const last = blocks.at(-1);
    if (!text.startsWith('|')) return;
    if (last && last.line + last.rows.length === i + 1) last.rows.push(text);
    else blocks.push({ line: i + 1, rows: [text] });
  });
  return blocks;
}

describe('docs/api.md', () => {
  it('every table renders: a header, a separator row, and the same number of cells in each row', () => {
    const broken: string[] = [];
    for (const { line, rows } of tableBlocks(API_MD)) {
      const width = cells(rows[0]!).length;
      if (rows.length < 2 || !cells(rows[1]!).every((c) => /^:?-{3,}:?$/.test(c))) broken.push(`line ${line}: no separator row`);
      rows.forEach((r, k) => {
        if (cells(r).length !== width) broken.push(`line ${line + k}: ${cells(r).length} cells, the header has ${width}`);
      });
    }
    expect(broken).toEqual([]);
  });

  it('the error table lists every code the server answers with, at its status', () => {
    const section = API_MD.split('## Errors')[1]?.split('\n## ')[0] ?? '';
    const documented = new Map<string, number>();
    for (const { rows } of tableBlocks(section)) {
      for (const row of rows.slice(2)) {
        const [status, code] = cells(row);
        const name = /^`(\w+)`$/.exec(code ?? '')?.[1];
        if (name) documented.set(name, Number(status));
      }
    }
    const expected = new Map(Object.entries(ERROR_STATUS));
    expect(Object.fromEntries([...documented].sort())).toEqual(Object.fromEntries([...expected].sort()));
  });
});
