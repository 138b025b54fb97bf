// A small JSON parser that keeps numbers as the text they were written in (a price such as
// 123456789012.12345678 must not pass through a double) and reports errors by line and column.
// Node 20's JSON.parse can do neither, but it is much faster: where a scan of the text
// proves JSON.parse gives the same value (every number survives the double as written, no object
// repeats a key), it does the work; anything else, an error included, goes through the exact parser.

export class JsonNumber {
  constructor(readonly raw: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${line}:${column}: ${reason}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Characters inside a string that are neither its end, an escape nor a control character.
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in a string: they end a plain run
const PLAIN = /[^"\\\u0000-\u001f]+/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const MAX_DEPTH = 512;

/**
 * Parses one JSON text; `firstLine` and `firstColumn` say where it starts when it is a piece of a
 * larger file (a line of NDJSON, a stop cut out of a document), so that errors point into the file.
 */
export function parseJson(text: string, firstLine = 1, firstColumn = 1): JsonValue {
  if (scanForNative(text)) {
    let value: NativeValue | undefined;
    try {
      value = JSON.parse(text) as NativeValue;
    } catch {
      // Not JSON after all: the exact parser says where.
    }
    if (value !== undefined) {
      keysRead = 0;
      const exact = exactNumbers(value);
      // Fewer keys than written: one was repeated, which the exact parser refuses.
      if (keysRead === keysWritten) return exact;
    }
  }
  return parseExact(text, firstLine, firstColumn);
}

type NativeValue = null | boolean | string | number | NativeValue[] | { [key: string]: NativeValue };

const SKIP_STRING = /"[^"\\]*(?:\\.[^"\\]*)*"/y;

// What the scan learnt for exactNumbers: how many keys the text wrote (colons outside strings).
let keysWritten = 0;
let keysRead = 0;

/**
 * Whether JSON.parse of `text`, its numbers then written back as text, can give exactly what
 * parseExact would: every number reads back as the text it was written in (String(Number(t)) === t:
 * "0.5" and "12" do, "1.0", "1e5", "-0" and 0.1000000000000000055 do not) and nothing nests deeper
 * than parseExact allows. It also counts the keys written: JSON.parse keeps the last of a repeated key
 * where parseExact refuses it, so JSON.parse's objects then hold fewer keys in all than the text wrote.
 * Text that is not JSON may pass: JSON.parse then throws and the exact parser reports it.
 */
export function scanForNative(text: string): boolean {
  keysWritten = 0;
  // Without a backslash every string ends at the next quote.
  const plain = !text.includes('\\');
  const n = text.length;
  let depth = 0;
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === 34 /* " */) {
      if (plain) {
        pos = text.indexOf('"', pos + 1) + 1;
        if (pos === 0) return false;
      } else {
        SKIP_STRING.lastIndex = pos;
        if (!SKIP_STRING.test(text)) return false;
        pos = SKIP_STRING.lastIndex;
      }
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = pos;
      pos++;
      for (let d = text.charCodeAt(pos); (d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45; d = text.charCodeAt(pos)) pos++;
      const raw = text.slice(start, pos);
      if (String(Number(raw)) !== raw) return false;
      continue;
    }
    // Outside strings, a colon follows a key.
    if (c === 58 /* : */) keysWritten++;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_DEPTH) return false;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
    pos++;
  }
  return true;
}

/** JSON.parse's value with each number as the JsonNumber of its text (which the scan vouched for). */
function exactNumbers(v: NativeValue): JsonValue {
  if (typeof v === 'number') return new JsonNumber(String(v));
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (typeof x === 'number' || typeof x === 'object') v[i] = exactNumbers(x) as NativeValue;
    }
    return v as JsonValue;
  }
  for (const key in v) {
    keysRead++;
    const x = v[key]!;
    if (typeof x === 'number' || typeof x === 'object') {
      const exact = exactNumbers(x);
      // "__proto__" is an own key of JSON.parse's object: defined, as parseExact does, never assigned.
      if (key === '__proto__') Object.defineProperty(v, key, { value: exact, enumerable: true, writable: true, configurable: true });
      else v[key] = exact as NativeValue;
    }
  }
  return v as JsonValue;
}

/** The exact parser alone, without the JSON.parse shortcut (what the shortcut must agree with). */
export function parseExact(text: string, firstLine = 1, firstColumn = 1): JsonValue {
  let pos = 0;

  const fail = (reason: string, at = pos): never => {
    let line = firstLine;
    let lineStart = 0;
    for (let i = 0; i < at && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonSyntaxError(reason, line, at - lineStart + 1 + (line === firstLine ? firstColumn - 1 : 0));
  };
  const unexpected = (): never =>
    pos >= text.length ? fail('unexpected end of input (truncated JSON?)') : fail(`unexpected character ${JSON.stringify(text[pos])}`);

  const skipSpace = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    let chunkStart = pos;
    for (;;) {
      // A run of characters that need no attention, skipped at once.
      PLAIN.lastIndex = pos;
      if (PLAIN.test(text)) pos = PLAIN.lastIndex;
      if (pos >= text.length) return unexpected();
      const c = text.charCodeAt(pos);
      if (c === 34 /* " */) {
        out += text.slice(chunkStart, pos);
        pos++;
        return out;
      }
      if (c === 92 /* \\ */) {
        out += text.slice(chunkStart, pos);
        const e = text[pos + 1];
        if (e === undefined) return unexpected();
        if (e === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string', pos);
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          const decoded = ESCAPES[e];
          if (decoded === undefined) fail(`invalid escape \\${e} in string`, pos);
          out += decoded;
          pos += 2;
        }
        chunkStart = pos;
        continue;
      }
      if (c < 32) fail('control character in string (unterminated string?)');
      pos++;
    }
  };

  const expectWord = (word: string) => {
    if (text.startsWith(word, pos)) pos += word.length;
    else unexpected();
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipSpace();
    switch (text.charCodeAt(pos)) {
      case 123 /* { */: {
        pos++;
        // An ordinary object, not Object.create(null): V8 keeps those in dictionary mode, which made
        // building and reading every stop of a dump about twice as slow. Own keys are what count
        // (duplicates are checked with hasOwnProperty), and "__proto__" is defined, never assigned.
        const obj: JsonObject = {};
        skipSpace();
        if (text.charCodeAt(pos) === 125) {
          pos++;
          return obj;
        }
        for (;;) {
          skipSpace();
          if (text.charCodeAt(pos) !== 34) fail(pos >= text.length ? 'unexpected end of input (truncated JSON?)' : 'expected a quoted property name');
          const keyAt = pos;
          const key = parseString();
          // A second value for a key would silently replace the first (a second "stops": [] empties
          // the dump): refused, naming the key.
          if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
          skipSpace();
          if (text.charCodeAt(pos) !== 58) unexpected();
          pos++;
          const value = parseValue(depth + 1);
          if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
          else obj[key] = value;
          skipSpace();
          if (text.charCodeAt(pos) === 44) pos++;
          else if (text.charCodeAt(pos) === 125) {
            pos++;
            return obj;
          } else unexpected();
        }
      }
      case 91 /* [ */: {
        pos++;
        const arr: JsonValue[] = [];
        skipSpace();
        if (text.charCodeAt(pos) === 93) {
          pos++;
          return arr;
        }
        for (;;) {
          arr.push(parseValue(depth + 1));
          skipSpace();
          if (text.charCodeAt(pos) === 44) pos++;
          else if (text.charCodeAt(pos) === 93) {
            pos++;
            return arr;
          } else unexpected();
        }
      }
      case 34 /* " */:
        return parseString();
      case 116 /* t */:
        expectWord('true');
        return true;
      case 102 /* f */:
        expectWord('false');
        return false;
      case 110 /* n */:
        expectWord('null');
        return null;
      default: {
        NUMBER.lastIndex = pos;
        const m = NUMBER.exec(text);
        if (!m) return unexpected();
        pos += m[0].length;
        return new JsonNumber(m[0]);
      }
    }
  };

  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  const value = parseValue(0);
  skipSpace();
  if (pos < text.length) fail('unexpected data after the JSON value');
  return value;
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}
