import { describe, expect, it } from 'vitest';
import { DocumentScanner, type Piece } from '../../src/dump/document.js';
import { JsonSyntaxError } from '../../src/json.js';

/** The pieces of a text fed in chunks of `size` characters. */
function scan(text: string, size: number): Piece[] {
  const s = new DocumentScanner();
  const pieces: Piece[] = [];
  for (let i = 0; i < text.length; i += size) {
    s.feed(text.slice(i, i + size));
    pieces.push(...s.pieces());
  }
  s.end();
  return [...pieces, ...s.pieces()];
}

const TS_AUDIT = `{"format": "ts-audit/stops@1", "dumpedAt": "2025-10-26T16:29:00Z",
  "stops": [{"symbol": "A\\"]}", "n": [1, {"x": "}"}]}, 7,
    {"symbol": "B"}, "s", true, null, -1.5e3]}`;
const STATUS = '{"binance": {"active_stops": 2, "stops": {"BTC": {"symbol": "BTC", "p": [1]}, "E\\u0054H": {"symbol": "ETH"}}}, "bybit": {"stops": {}}}';

describe('DocumentScanner', () => {
  it('cuts out the same pieces whatever the chunks: one character, seven, or the whole text', () => {
    for (const text of [TS_AUDIT, STATUS]) {
      const whole = scan(text, text.length);
      expect(scan(text, 1)).toEqual(whole);
      expect(scan(text, 7)).toEqual(whole);
    }
  });

  it('gives each stop with its path and where it starts, and the other members whole', () => {
    const pieces = scan(TS_AUDIT, 5);
    expect(pieces.filter((p) => !p.stop).map((p) => [p.path, p.text])).toEqual([
      [['format'], '"ts-audit/stops@1"'],
      [['dumpedAt'], '"2025-10-26T16:29:00Z"'],
    ]);
    const stops = pieces.filter((p) => p.stop);
    expect(stops.map((p) => p.text)).toEqual(['{"symbol": "A\\"]}", "n": [1, {"x": "}"}]}', '7', '{"symbol": "B"}', '"s"', 'true', 'null', '-1.5e3']);
    expect(stops.map((p) => p.path[1])).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(stops.every((p) => p.inArray)).toBe(true);
    expect(stops[0]).toMatchObject({ line: 2, column: 13 });
    expect(stops[2]).toMatchObject({ line: 3, column: 5 });
  });

  it("reads get_status() of every exchange: stops under [exchange, 'stops', key], escaped keys decoded", () => {
    const pieces = scan(STATUS, 3);
    expect(pieces.filter((p) => p.stop).map((p) => p.path)).toEqual([
      ['binance', 'stops', 'BTC'],
      ['binance', 'stops', 'ETH'],
    ]);
    expect(pieces.find((p) => !p.stop)).toMatchObject({ path: ['binance', 'active_stops'], text: '2' });
  });

  it('refuses a duplicate key, a truncated document and data after it, with line and column', () => {
    const error = (text: string) => {
      try {
        scan(text, 4);
      } catch (e) {
        return e instanceof JsonSyntaxError ? `${e.line}:${e.column} ${e.reason}` : String(e);
      }
      return 'no error';
    };
    expect(error('{"stops": [],\n "stops": []}')).toBe('2:8 duplicate key "stops"');
    expect(error('{"stops": [{"a": 1}')).toMatch(/^1:20 unexpected end of input/);
    expect(error('{"stops": []} {')).toMatch(/unexpected data after the JSON value/);
    expect(error('[1]')).toMatch(/expected a JSON object at the top level/);
    expect(error('{"a" 1}')).toMatch(/unexpected character ":"|unexpected character "1"/);
  });
});
