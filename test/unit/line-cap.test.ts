// splitLines with a cap: a line longer than the cap comes as its first maxChars characters, marked
// cut and counted, the rest skipped whatever its length; lines after it are numbered as before.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/dump/source.js';

async function lines(chunks: string[], maxChars: number) {
  const cut: number[] = [];
  const out = [];
  for await (const l of splitLines(Readable.from(chunks.map((c) => Buffer.from(c))), 'test', undefined, undefined, undefined, {
    maxChars,
    onCut: (n) => cut.push(n),
  }))
    out.push(l);
  return { out, cut };
}

describe('a capped line reader', () => {
  it('cuts long lines, in one chunk or across many, and skips their rest', async () => {
    const { out, cut } = await lines(['ab\r\n0123456789', 'abcdef', 'ghij\nxy\r', '\n', 'z'.repeat(50), 'end'], 5);
    expect(out).toEqual([
      { text: 'ab', number: 1 },
      { text: '01234', number: 2, cut: true },
      { text: 'xy', number: 3 },
      { text: 'zzzzz', number: 4, cut: true },
    ]);
    expect(cut).toEqual([2, 4]);
  });

  it('a line of exactly the cap is whole, with or without its CR split from its LF', async () => {
    expect((await lines(['abcde\r', '\nabcde\n'], 5)).out).toEqual([
      { text: 'abcde', number: 1 },
      { text: 'abcde', number: 2 },
    ]);
    expect((await lines(['abcdef\nok\n'], 5)).out).toEqual([
      { text: 'abcde', number: 1, cut: true },
      { text: 'ok', number: 2 },
    ]);
  });
});
