import { describe, expect, it } from 'vitest';
import type { MemoryStop } from '../../src/dump/types.js';
import { INCIDENT_DUMP } from '../support/db.js';
import { dumpError, readAll, stopsDump, writeDump } from '../support/dumps.js';

const FIXTURES = new URL('../fixtures/dumps/', import.meta.url).pathname;
const opts = { timeoutMs: 5000 };
const stop = (extra: object = {}) => ({ exchange: 'bybit', symbol: 'RADUSDT', state: 'waiting', ...extra });

describe('dump formats', () => {
  it('reads the same 14 stops from the JSON, NDJSON and get_status() fixtures', async () => {
    const json = await readAll(INCIDENT_DUMP);
    const ndjson = await readAll(`${FIXTURES}incident.ndjson`);
    const status = await readAll(`${FIXTURES}incident-get-status.json`);
    const keys = (s: MemoryStop[]) => s.map((x) => `${x.exchange} ${x.symbol} ${x.state}`).sort();
    expect(json.stops).toHaveLength(14);
    expect(keys(ndjson.stops)).toEqual(keys(json.stops));
    expect(keys(status.stops)).toEqual(keys(json.stops));
    expect(json.header).toEqual({ format: 'ts-audit-json', dumpedAt: new Date('2025-10-26T16:29:00Z') });
    expect(ndjson.header).toEqual({ format: 'ts-audit-ndjson', dumpedAt: new Date('2025-10-26T16:29:00Z') });
    expect(status.header).toEqual({ format: 'get-status', dumpedAt: null });
  });

  it('reads a price written as a JSON number without passing it through a double', async () => {
    const file = writeDump(
      `{"format": "ts-audit/stops@1", "stops": [{"exchange": "binance", "symbol": "X", "state": "active", "highest_price": 123456789012.12345678}]}`,
    );
    const { stops } = await readAll(file);
    expect(stops[0]?.highestPrice?.toString()).toBe('123456789012.12345678');
  });

  it('reads NDJSON without a header line, and CRLF line ends', async () => {
    const file = writeDump(`${JSON.stringify(stop())}\r\n\r\n${JSON.stringify(stop({ symbol: 'STGUSDT', side: 'Buy' }))}\r\n`, 'ndjson');
    const { header, stops } = await readAll(file);
    expect(header).toEqual({ format: 'ts-audit-ndjson', dumpedAt: null });
    expect(stops.map((s) => [s.symbol, s.side])).toEqual([
      ['RADUSDT', undefined],
      ['STGUSDT', 'long'],
    ]);
  });

  it('ignores a stop time without a zone (evidence only, never guessed) and reads 41.0 as 41', async () => {
    const { stops } = await readAll(
      stopsDump([stop({ created_at: '2025-10-26T16:30:34.973701', last_update_time: '2025-10-26T16:30:34Z', update_count: 41.0 })]),
    );
    expect(stops[0]?.createdAt).toBeUndefined();
    expect(stops[0]?.lastUpdateTime).toEqual(new Date('2025-10-26T16:30:34Z'));
    expect(stops[0]?.updateCount).toBe(41);
  });

  it('needs --exchange for one exchange get_status() result', async () => {
    const file = writeDump({ active_stops: 1, stops: { RADUSDT: { symbol: 'RADUSDT', state: 'waiting', entry_price: 0.6123, stop_price: null, updates: 2 } } });
    expect(await dumpError(file)).toMatch(/one exchange's get_status\(\) result; say which exchange with --exchange/);
    const { stops } = await readAll(file, { ...opts, exchange: 'bybit' } as typeof opts);
    expect(stops[0]).toMatchObject({ exchange: 'bybit', symbol: 'RADUSDT', state: 'waiting', currentStopPrice: null, updateCount: 2 });
  });
});

describe('dump errors name the source, the entry and the field', () => {
  it('truncated JSON, with line and column', async () => {
    const file = writeDump('{\n  "format": "ts-audit/stops@1",\n  "stops": [\n    {"exchange": "bybit", "sym');
    expect(await dumpError(file)).toBe(`${file}:4:31: malformed JSON: unexpected end of input (truncated JSON?)`);
  });

  it('a truncated NDJSON line, with its line number', async () => {
    const file = writeDump(`${JSON.stringify(stop())}\n{"exchange": "bybit", "symbol": "X`, 'ndjson');
    expect(await dumpError(file)).toMatch(new RegExp(`^${file}:2:\\d+: malformed JSON: unexpected end of input`));
  });

  it('a price that is not a number', async () => {
    expect(await dumpError(stopsDump([stop(), stop({ symbol: 'STGUSDT', entry_price: 'abc' })]))).toMatch(
      /: stop #2 \(bybit STGUSDT\): field "entry_price": not a decimal number: "abc"$/,
    );
  });

  it('a negative quantity', async () => {
    expect(await dumpError(stopsDump([stop({ quantity: -3 })]))).toMatch(/stop #1 \(bybit RADUSDT\): field "quantity": must not be negative: -3$/);
  });

  it('an unknown state or side', async () => {
    expect(await dumpError(stopsDump([stop({ state: 'armed' })]))).toMatch(
      /field "state": unknown state "armed" \(expected one of inactive, waiting, active, triggered\)/,
    );
    expect(await dumpError(stopsDump([stop({ side: 'up' })]))).toMatch(/field "side": unknown side "up"/);
  });

  it('a duplicate (exchange, symbol), naming both entries', async () => {
    expect(await dumpError(stopsDump([stop(), stop({ symbol: 'X' }), stop()]))).toMatch(/duplicate stop for bybit RADUSDT \(entries #1 and #3\)$/);
  });

  it('missing required fields and times without a zone', async () => {
    expect(await dumpError(stopsDump([{ exchange: 'bybit', state: 'waiting' }]))).toMatch(/stop #1 \(bybit \?\): field "symbol": missing \(required\)/);
    expect(await dumpError(stopsDump([stop({ created_at: 'yesterday' })]))).toMatch(/field "created_at": expected an ISO-8601 time with a zone/);
    expect(await dumpError(stopsDump([stop({ update_count: 4.5 })]))).toMatch(/field "update_count": expected a whole number >= 0, got 4.5/);
    expect(await dumpError(stopsDump([stop()], '2025-10-26T16:29:00'))).toMatch(/"dumpedAt" must be an ISO-8601 time with a zone/);
  });

  it('an empty file, a missing file, an unknown format', async () => {
    const empty = writeDump('  \n\n');
    expect(await dumpError(empty)).toBe(`${empty}: empty dump (no data)`);
    expect(await dumpError('/nonexistent/stops.json')).toBe('cannot read dump /nonexistent/stops.json: no such file');
    expect(await dumpError(writeDump({ format: 'ts-audit/stops@2', stops: [] }))).toMatch(/unsupported dump format "ts-audit\/stops@2"/);
    expect(await dumpError(writeDump([1, 2]))).toMatch(/expected a JSON object at the top level/);
    expect(await dumpError(writeDump({ hello: 'world' }))).toMatch(/not a state dump ts-audit knows/);
  });
});

describe('hostile numbers', () => {
  it('refuses huge exponents and too many digits at once, naming the bound', async () => {
    for (const price of ['1e999999999', '1e100000000', '1e101']) {
      // Refused before any expansion: a regression would hang here until the test's timeout.
      const message = await dumpError(
        writeDump(`{"format":"ts-audit/stops@1","stops":[{"exchange":"bybit","symbol":"RADUSDT","state":"active","entry_price":${price}}]}`),
      );
      expect(message).toContain('field "entry_price"');
      expect(message).toContain('is out of range: at most 100 digits and an exponent within ±100');
    }
    expect(await dumpError(stopsDump([stop({ entry_price: `1${'0'.repeat(120)}` })]))).toContain('out of range');
  });

  it('reads plain prices and counts as written, numbers or strings, and refuses the same texts either way', async () => {
    const prices: [string, string][] = [
      ['0.19720000', '0.1972'],
      ['"0.19720000"', '0.1972'],
      ['-0', '0'],
      ['"-0.000"', '0'],
      ['0', '0'],
      ['"12"', '12'],
      ['1.5e2', '150'],
      [`"${'9'.repeat(100)}"`, '9'.repeat(100)],
    ];
    for (const [written, text] of prices) {
      const { stops } = await readAll(
        writeDump(`{"format":"ts-audit/stops@1","stops":[{"exchange":"bybit","symbol":"RADUSDT","state":"waiting","quantity":${written}}]}`),
      );
      expect(stops[0]?.quantity?.toString()).toBe(text);
    }
    for (const written of ['"00"', '"01.5"', '"1..5"', '"1.5."', '"-"', '"1.5x"', '"١"', `"${'9'.repeat(101)}"`]) {
      const message = await dumpError(
        writeDump(`{"format":"ts-audit/stops@1","stops":[{"exchange":"bybit","symbol":"RADUSDT","state":"waiting","quantity":${written}}]}`),
      );
      expect(message).toMatch(/field "quantity": (not a decimal number|.* is out of range)/);
    }
    const counts: [string, number][] = [
      ['41', 41],
      ['"41"', 41],
      ['41.0', 41],
      ['0', 0],
      ['1e2', 100],
      ['999999999999999', 999999999999999],
      ['9007199254740991', 9007199254740991],
    ];
    for (const [written, count] of counts) {
      const { stops } = await readAll(
        writeDump(`{"format":"ts-audit/stops@1","stops":[{"exchange":"bybit","symbol":"RADUSDT","state":"waiting","update_count":${written}}]}`),
      );
      expect(stops[0]?.updateCount).toBe(count);
    }
    for (const written of ['"041"', '"00"', '9007199254740993', '1.5', '"4 1"']) {
      const message = await dumpError(
        writeDump(`{"format":"ts-audit/stops@1","stops":[{"exchange":"bybit","symbol":"RADUSDT","state":"waiting","update_count":${written}}]}`),
      );
      expect(message).toMatch(/field "update_count": (not a decimal number|expected a whole number)/);
    }
  });

  it('refuses lenient numbers ("+1.5", " 1.5 ", ".5") and reads "-0" as 0', async () => {
    for (const price of ['+1.5', ' 1.5 ', '.5', '1.', '0x10', '1_000']) {
      expect(await dumpError(stopsDump([stop({ entry_price: price })]))).toMatch(/field "entry_price": not a decimal number/);
    }
    expect(await dumpError(stopsDump([stop({ entry_price: '+1.5' })]))).toContain('write it as JSON writes numbers');
    const { stops } = await readAll(stopsDump([stop({ entry_price: '-0', update_count: '-0' })]));
    expect(stops[0]?.entryPrice?.toString()).toBe('0');
    expect(stops[0]?.updateCount).toBe(0);
  });
});
