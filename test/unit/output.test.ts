import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { colorLevel, tableWidth, writeChunks } from '../../src/cli/output.js';
import { WRITE_PIECE_BYTES } from '../../src/files.js';
import type { CommonFlags } from '../../src/cli/options.js';

const flags = {} as CommonFlags; // neither --color nor --no-color

describe('colour on a terminal', () => {
  const saved = { isTTY: process.stdout.isTTY, env: { ...process.env } };
  afterEach(() => {
    process.stdout.isTTY = saved.isTTY;
    process.env = { ...saved.env };
  });

  it('is off for TERM=dumb and NO_COLOR, on otherwise, and FORCE_COLOR wins over TERM', () => {
    process.stdout.isTTY = true;
    delete process.env.NO_COLOR;
    delete process.env.FORCE_COLOR;
    process.env.TERM = 'xterm-256color';
    expect(colorLevel(flags)).toBeGreaterThan(0);
    process.env.TERM = 'dumb';
    expect(colorLevel(flags)).toBe(0);
    process.env.FORCE_COLOR = '1';
    expect(colorLevel(flags)).toBe(1);
    delete process.env.FORCE_COLOR;
    process.env.TERM = 'xterm';
    process.env.NO_COLOR = '1';
    expect(colorLevel(flags)).toBe(0);
  });

  it('--color forces it into a pipe and past NO_COLOR and TERM=dumb; --no-color turns it off on a terminal', () => {
    process.stdout.isTTY = false;
    process.env.NO_COLOR = '1';
    process.env.TERM = 'dumb';
    expect(colorLevel(flags)).toBe(0);
    expect(colorLevel({ ...flags, color: true })).toBe(1);
    process.stdout.isTTY = true;
    delete process.env.NO_COLOR;
    process.env.TERM = 'xterm-256color';
    expect(colorLevel({ ...flags, color: false })).toBe(0);
  });
});

describe('table width', () => {
  const saved = { isTTY: process.stdout.isTTY, columns: process.stdout.columns, env: { ...process.env } };
  afterEach(() => {
    process.stdout.isTTY = saved.isTTY;
    process.stdout.columns = saved.columns;
    process.env = { ...saved.env };
  });

  it("is --width, else the terminal's, else COLUMNS, else 80", () => {
    process.stdout.isTTY = false;
    delete process.env.COLUMNS;
    expect(tableWidth({})).toBe(80);
    process.env.COLUMNS = '100';
    expect(tableWidth({})).toBe(100);
    process.env.COLUMNS = 'wide';
    expect(tableWidth({})).toBe(80);
    process.stdout.isTTY = true;
    process.stdout.columns = 132;
    process.env.COLUMNS = '100';
    expect(tableWidth({})).toBe(132);
    expect(tableWidth({ output: 'report.txt' })).toBe(100); // a file is not the terminal
    expect(tableWidth({ width: 60 })).toBe(60);
  });
});

describe('writing the output in pieces', () => {
  /** A stream that takes a piece at a time (asking the writer to wait after each) and keeps them, as given: a buffer the writer reused would show. */
  const recorder = () => {
    const pieces: Buffer[] = [];
    const stream = new Writable({
      highWaterMark: 1,
      write(piece: Buffer, _encoding, done) {
        pieces.push(piece);
        setImmediate(done);
      },
    });
    return { pieces, stream };
  };

  it('writes exactly the bytes of the chunks, multi-byte characters and a chunk longer than a piece included', async () => {
    const third = Math.floor(WRITE_PIECE_BYTES / 3);
    const chunks = [
      '{"symbol": "ПЕПЕ🚀USDT"}',
      'x'.repeat(third - 5),
      '€'.repeat(40),
      '🚀'.repeat(third),
      '',
      'é'.repeat(WRITE_PIECE_BYTES * 2),
      ...Array.from({ length: 5000 }, (_, i) => `,\n    "line ${i}: ✓ ❌ \u0000"`),
      'tail',
    ];
    const { pieces, stream } = recorder();
    await writeChunks(stream, chunks);
    await new Promise<void>((resolve) => stream.end(resolve));
    expect(Buffer.concat(pieces).equals(Buffer.from(chunks.join('')))).toBe(true);
    // Pieces are bounded, except the chunks that alone are longer than one (the rockets, four bytes each,
    // and the é's); the many short chunks share pieces.
    const long = [chunks[3]!, chunks[5]!].map((c) => Buffer.byteLength(c));
    expect(pieces.filter((p) => p.length > WRITE_PIECE_BYTES).map((p) => p.length)).toEqual(long);
    expect(pieces.length).toBeLessThan(20);
  });

  it('writes nothing for no chunks and one piece for one short chunk', async () => {
    const none = recorder();
    await writeChunks(none.stream, []);
    expect(none.pieces).toEqual([]);
    const one = recorder();
    await writeChunks(one.stream, ['a', 'b', 'c']);
    expect(one.pieces.map(String)).toEqual(['abc']);
  });
});
