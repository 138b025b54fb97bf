import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonSyntaxError, parseJson } from '../../src/dump/json.js';

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

