// Dumps read over http and as a stream: sizes, caps, timeouts and pieces. Nothing here reads a time
// the process zone could change (the only one, a header's dumpedAt, has its own zone), so this file
// runs once, in UTC (vitest.config.ts), where dump.test.ts runs in both zones.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMP_PIECE_CHARS } from '../../src/dump/source.js';
import { dumpError, readAll, writeDump } from '../support/dumps.js';

const stop = (extra: object = {}) => ({ exchange: 'bybit', symbol: 'RADUSDT', state: 'waiting', ...extra });

describe('dumps over http', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') {
        res.setHeader('content-type', 'application/x-ndjson');
        res.end(`${JSON.stringify(stop())}\n`);
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('{}'), 2000);
      } else if (req.url === '/endless') {
        // NDJSON stops forever, with no content-length: only the size cap ends it.
        res.setHeader('content-type', 'application/x-ndjson');
        let i = 0;
        const more = () => {
          while (res.write(`${JSON.stringify(stop({ symbol: `E${i++}USDT` }))}\n`));
          if (!res.destroyed) res.once('drain', more);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        more();
      } else if (req.url === '/declared') {
        res.setHeader('content-length', String(10 * 1024 * 1024));
        res.write('{');
      } else {
        res.statusCode = 500;
        res.end('boom');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads a dump from a URL', async () => {
    const { stops } = await readAll(`${base}/ok`);
    expect(stops.map((s) => s.symbol)).toEqual(['RADUSDT']);
  });

  it('names the status of a non-2xx answer, without the URL password', async () => {
    const url = `${base.replace('//', '//bot:hunter2secret@')}/fail`;
    const message = await dumpError(url);
    expect(message).toBe(`dump URL ${base.replace('//', '//bot:***@')}/fail answered HTTP 500 Internal Server Error`);
  });

  it('refuses a dump URL that sends more than --dump-max-bytes, endless or declared too large', async () => {
    const cap = { timeoutMs: 30_000, maxBytes: 1024 * 1024 };
    expect(await dumpError(`${base}/endless`, cap)).toMatch(/^dump URL http:\/\/127\.0\.0\.1:\d+\/endless sent more than 1 MiB \(--dump-max-bytes\)$/);
    expect(await dumpError(`${base}/declared`, cap)).toMatch(/\/declared sent more than 1 MiB \(--dump-max-bytes\)$/);
  });

  it('gives up after the timeout', async () => {
    expect(await dumpError(`${base}/slow`, { timeoutMs: 200 })).toMatch(/cannot fetch dump .*\/slow: timed out after 0.2s/);
  });
});

describe('dumps read as a stream', () => {
  // Lines longer than DUMP_PIECE_CHARS are handed on in pieces: a single-line document must read as the
  // same stops as a pretty-printed one, and a long NDJSON line must be joined again.
  const clean = Array.from({ length: 3000 }, (_, i) => ({
    exchange: i % 2 ? 'binance' : 'bybit',
    symbol: `S${i}USDT`,
    state: 'waiting',
    side: 'long',
    entry_price: `${i}.12345678`,
  }));

  it('a single-line document longer than a piece gives every stop, exactly, with its header', async () => {
    const text = JSON.stringify({ stops: clean });
    // Repeated until the one line is longer than a piece.
    const copies = Math.ceil((DUMP_PIECE_CHARS * 1.5) / text.length);
    const stops = Array.from({ length: copies }, (_, k) => clean.map((s) => ({ ...s, symbol: `${s.symbol}${k}` }))).flat();
    const line = JSON.stringify({ format: 'ts-audit/stops@1', dumpedAt: '2025-10-26T16:29:00Z', stops });
    expect(line.length).toBeGreaterThan(DUMP_PIECE_CHARS);
    const read = await readAll(writeDump(line));
    expect(read.header.dumpedAt?.toISOString()).toBe('2025-10-26T16:29:00.000Z');
    expect(read.stops).toHaveLength(stops.length);
    expect(read.stops.map((s) => `${s.exchange} ${s.symbol} ${String(s.entryPrice)}`)).toEqual(
      stops.map((s) => `${s.exchange} ${s.symbol} ${String(Number(s.entry_price.split('.')[0]))}.12345678`),
    );
  });

  it('an NDJSON line longer than a piece is joined and read as one stop', async () => {
    const long = { ...clean[0], symbol: `L${'X'.repeat(DUMP_PIECE_CHARS + 10)}` };
    const file = writeDump(
      [JSON.stringify({ format: 'ts-audit/stops@1' }), JSON.stringify(clean[1]), JSON.stringify(long), JSON.stringify(clean[2])].join('\n'),
      'ndjson',
    );
    const read = await readAll(file);
    expect(read.stops.map((s) => s.symbol.length)).toEqual([clean[1]?.symbol.length, long.symbol.length, clean[2]?.symbol.length]);
  });

  it('a key given twice is an error naming the key, in a document and in an NDJSON line', async () => {
    expect(await dumpError(writeDump('{"format": "ts-audit/stops@1",\n "stops": [],\n "stops": []}'))).toMatch(
      /:3:\d+: malformed JSON: duplicate key "stops"$/,
    );
    const ndjson = writeDump(
      `${JSON.stringify({ format: 'ts-audit/stops@1' })}\n{"exchange": "bybit", "symbol": "A", "state": "waiting", "exchange": "binance"}\n`,
      'ndjson',
    );
    expect(await dumpError(ndjson)).toMatch(/:2:\d+: malformed JSON: duplicate key "exchange"$/);
  });
});
