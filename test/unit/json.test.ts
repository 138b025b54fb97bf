import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonSyntaxError, scanForNative, parseExact, parseJson } from '../../src/json.js';

function syntaxError(text: string, firstLine = 1): JsonSyntaxError {
  try {
    parseJson(text, firstLine);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a syntax error');
}

describe('parseJson', () => {
  it('keeps numbers as written', () => {
    const v = parseJson('{"p": 123456789012.12345678, "q": [1e-8, -0.0]}') as Record<string, unknown>;
    expect(v.p).toEqual(new JsonNumber('123456789012.12345678'));
    expect(v.q).toEqual([new JsonNumber('1e-8'), new JsonNumber('-0.0')]);
  });

  it('parses strings with escapes, literals and nesting like JSON.parse', () => {
    const text = '{"a": "x\\"y\\\\z\\u00e9\\n", "b": [true, false, null, {}], "c": {"d": []}}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it('keeps "__proto__" an ordinary key: no object gets another prototype', () => {
    const v = parseJson('{"__proto__": {"polluted": "yes"}, "symbol": "X"}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'symbol']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(syntaxError('{"__proto__": 1, "__proto__": 2}').reason).toBe('duplicate key "__proto__"');
  });

  it('reads long strings with and without escapes, and refuses a raw control character', () => {
    const long = `${'a'.repeat(5000)}\\"${'b'.repeat(5000)}\u0041`;
    expect(parseJson(`{"s": "${long}"}`)).toEqual(JSON.parse(`{"s": "${long}"}`));
    expect(syntaxError('{"s": "a\tb"}').reason).toMatch(/control character/); // a raw tab
  });

  it('reports truncated input with line and column', () => {
    const err = syntaxError('{\n  "stops": [\n    {"symbol": "RAD');
    expect(err.reason).toMatch(/unexpected end of input/);
    expect([err.line, err.column]).toEqual([3, 20]); // one past the last character
  });

  it('reports stray characters where they are', () => {
    const err = syntaxError('{"a": 1,\n "b": tru}');
    expect(err.line).toBe(2);
    expect(err.column).toBe(7);
    expect(syntaxError('{"a": 1} x').reason).toMatch(/after the JSON value/);
    expect(syntaxError('{"a": 01}').reason).toMatch(/unexpected character/);
    expect(syntaxError("{'a': 1}").reason).toMatch(/quoted property name/);
  });

  it('numbers lines from where a line sits in its file', () => {
    const err = syntaxError('{"a": }', 7);
    expect([err.line, err.column]).toEqual([7, 7]);
  });
});

// parseJson lets JSON.parse do the work where a scan proves it gives the same value: the two paths
// must agree on every text, errors included.
describe('the JSON.parse shortcut', () => {
  const NUMBERS = [
    '0',
    '-0',
    '12',
    '-7',
    '0.5',
    '1.0',
    '1.50',
    '1e5',
    '1E-8',
    '2.5e3',
    '123456789012.12345678',
    '9007199254740993',
    '0.1',
    '0.30000000000000004',
    '0.1000000000000000055511151231257827',
    '100',
    '-0.0',
    '1e400',
    '5e-324',
    '123456789012345678901234567890',
  ];
  const STRINGS = ['"a"', '"x\\"y\\\\"', '"\\u0061"', '"é"', '"\\n"', '""', '"__proto__"', '"{\\"k\\": 1.0}"', '"1.0"', '"\u2028"'];
  const KEYS = ['"a"', '"b"', '"\\u0061"', '"__proto__"', '"entry_price"', '"a\\"b"', '""'];
  const SPACE = ['', '', ' ', '\n', '\t', '\r\n'];

  function texts(count: number): string[] {
    let seed = 20251026;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const value = (depth: number): string => {
      const kind = depth > 3 ? Math.floor(random() * 3) : Math.floor(random() * 5);
      const sp = () => pick(SPACE);
      if (kind === 0) return pick(NUMBERS);
      if (kind === 1) return pick(STRINGS);
      if (kind === 2) return pick(['true', 'false', 'null']);
      const n = Math.floor(random() * 4);
      if (kind === 3) return `[${sp()}${Array.from({ length: n }, () => value(depth + 1)).join(`${sp()},${sp()}`)}${sp()}]`;
      return `{${sp()}${Array.from({ length: n }, () => `${pick(KEYS)}${sp()}:${sp()}${value(depth + 1)}`).join(`,${sp()}`)}${sp()}}`;
    };
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const text = `${pick(SPACE)}${value(0)}${pick(SPACE)}`;
      out.push(text);
      // And a broken copy: a character dropped or doubled somewhere.
      const at = Math.floor(random() * text.length);
      out.push(random() < 0.5 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at + 1) + text.slice(at));
    }
    return out;
  }

  const outcome = (parse: () => unknown) => {
    try {
      return { value: parse() };
    } catch (err) {
      return { error: err instanceof JsonSyntaxError ? err.message : `not a JsonSyntaxError: ${String(err)}` };
    }
  };

  it('gives what the exact parser gives, value or error, on 4,000 generated texts', () => {
    let shortcut = 0;
    for (const text of texts(2000)) {
      expect(
        outcome(() => parseJson(text, 7, 3)),
        JSON.stringify(text),
      ).toStrictEqual(outcome(() => parseExact(text, 7, 3)));
      if (scanForNative(text) && outcome(() => JSON.parse(text)).value !== undefined) shortcut++;
    }
    // Both paths were exercised.
    expect(shortcut).toBeGreaterThan(500);
    expect(shortcut).toBeLessThan(3500);
  });

  it("takes a dump's stop lines, and leaves to the exact parser what JSON.parse would change", () => {
    expect(
      scanForNative(
        '{"exchange": "binance", "symbol": "DOGUSDT", "is_activated": true, "entry_price": "0.19720000", "highest_price": 0.2011, "update_count": 42, "created_at": null}',
      ),
    ).toBe(true);
    for (const text of ['{"p": 1.0}', '{"p": 1e5}', '{"p": -0}', '{"p": 0.1000000000000000055}', '{"p": 9007199254740993}']) {
      expect(scanForNative(text), text).toBe(false);
    }
    // A key written twice passes the scan; the object JSON.parse made has one key fewer, and the
    // exact parser refuses it.
    for (const text of ['{"a": 1, "a": 2}', '{"a": 1, "\\u0061": 2}', '[{"x": {"a": 1}}, {"b": 1, "b": 1}]']) {
      expect(scanForNative(text), text).toBe(true);
      expect(() => parseJson(text), text).toThrow(/duplicate key/);
    }
    const proto = parseJson('{"__proto__": 1, "b": [2]}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value).toEqual(new JsonNumber('1'));
  });
});
