// A JSON document dump read as a stream: the text is scanned as it arrives, and each stop (an element
// of "stops", or a value of a get_status() "stops" map) is cut out and parsed on its own, so memory
// holds one stop at a time, never the document. The rest (format, dumpedAt, active_stops, ...) is
// small and kept as parsed members. Only the structure down to the stops is tracked here; the JSON
// of each piece is checked by the same lossless parser as everything else (json.ts).
import { JsonSyntaxError } from '../json.js';

/** A piece of the document, with where its text starts (for errors). */
export interface Piece {
  /** Keys from the top: ["stops", "3"] (ts-audit), ["stops", "BTCUSDT"], ["binance", "stops", "BTCUSDT"], ["format"]. */
  path: string[];
  /** True for a stop; false for another member. */
  stop: boolean;
  /** Whether it is an element of an array (else a member of an object). */
  inArray: boolean;
  text: string;
  line: number;
  column: number;
}

interface Level {
  kind: '{' | '[';
  /** Objects: the key of the member being read. Arrays: the index of the element being read. */
  key: string;
  index: number;
  /** What the next significant character must be. */
  expect: 'key-or-end' | 'key' | 'colon' | 'value' | 'value-or-end' | 'comma-or-end';
}

/**
 * Feeds text in any chunks; `pieces()` drains what is complete. The structure above the stops is at
 * most three levels: {"stops": [..]}, {"stops": {..}} or {"exchange": {"stops": {..}}}.
 */
export class DocumentScanner {
  private readonly stack: Level[] = [];
  private line: number;
  private column = 0;
  private out: Piece[] = [];
  /** Set while a piece is being cut out. */
  private capture: {
    path: string[];
    stop: boolean;
    inArray: boolean;
    parts: string[];
    line: number;
    column: number;
    depth: number;
    inString: boolean;
    escape: boolean;
  } | null = null;
  /** Key being read (its characters so far), outside a capture. */
  private key: { parts: string[]; escape: boolean } | null = null;
  private done = false;
  private started = false;
  private readonly seen: Set<string>[] = [];
  /** Every object or array descended into (not cut out), by path joined with NUL: what shape the document has. */
  readonly containers = new Map<string, '{' | '['>();

  /** firstLine: the line the text starts on (blank lines before it were already read). */
  constructor(
    firstLine = 1,
    private readonly maxDepth = 512,
  ) {
    this.line = firstLine;
  }

  private fail(reason: string): never {
    throw new JsonSyntaxError(reason, this.line, Math.max(1, this.column));
  }

  private path(): string[] {
    return this.stack.map((l) => (l.kind === '{' ? l.key : String(l.index)));
  }

  /** Whether a value starting at this point is a stop, a member to keep whole, or a level to descend. */
  private classify(opening: string): 'stop' | 'member' | 'descend' {
    const path = this.path();
    const d = path.length;
    if (d === 2 && path[0] === 'stops') return 'stop';
    if (d === 3 && path[1] === 'stops' && this.stack[0]?.kind === '{' && this.stack[1]?.kind === '{') return 'stop';
    if (opening !== '{' && opening !== '[') return 'member';
    if (d === 1 && (path[0] === 'stops' || opening === '{')) return 'descend';
    if (d === 2 && path[1] === 'stops' && opening === '{') return 'descend';
    return 'member';
  }

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\n') {
        this.line++;
        this.column = 0;
      } else this.column++;

      const cap = this.capture;
      if (cap) {
        // Inside a piece: only where it ends matters.
        if (cap.inString) {
          if (cap.escape) cap.escape = false;
          else if (c === '\\') cap.escape = true;
          else if (c === '"') {
            cap.inString = false;
            if (cap.depth === 0) {
              this.endCapture(text, i);
              continue;
            }
          }
          continue;
        }
        if (c === '"') cap.inString = true;
        else if (c === '{' || c === '[') {
          cap.depth++;
          if (cap.depth + this.stack.length > this.maxDepth) this.fail('nesting too deep');
        } else if (c === '}' || c === ']') {
          if (cap.depth === 0) {
            // A scalar ended by its container's close: cut before it, and read the close below.
            this.endCapture(text, i - 1);
          } else {
            cap.depth--;
            if (cap.depth === 0) {
              this.endCapture(text, i);
              continue;
            }
            continue;
          }
        } else if (c === ',' && cap.depth === 0) {
          this.endCapture(text, i - 1);
        } else continue;
        if (this.capture) continue;
      }

      const k = this.key;
      if (k) {
        if (k.escape) {
          k.escape = false;
          k.parts.push('\\', c);
        } else if (c === '\\') k.escape = true;
        else if (c === '"') {
          this.key = null;
          this.endKey(JSON.parse(`"${k.parts.join('')}"`) as string);
        } else {
          if (c.charCodeAt(0) < 32) this.fail('control character in string (unterminated string?)');
          k.parts.push(c);
        }
        continue;
      }

      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff') continue;
      if (this.done) this.fail('unexpected data after the JSON value');
      const top = this.stack.at(-1);
      if (!top) {
        if (this.started) this.fail('unexpected data after the JSON value');
        if (c !== '{') this.fail(`expected a JSON object at the top level, found ${JSON.stringify(c)}`);
        this.started = true;
        this.open('{');
        continue;
      }
      switch (top.expect) {
        case 'key-or-end':
        case 'key':
          if (c === '"') this.key = { parts: [], escape: false };
          else if (c === '}' && top.expect === 'key-or-end') this.close();
          else this.fail('expected a quoted property name');
          break;
        case 'colon':
          if (c !== ':') this.fail(`unexpected character ${JSON.stringify(c)}`);
          top.expect = 'value';
          break;
        case 'value-or-end':
        case 'value':
          if (c === ']' && top.expect === 'value-or-end') {
            this.close();
            break;
          }
          this.startValue(text, i, c);
          break;
        case 'comma-or-end':
          if (c === ',') top.expect = top.kind === '{' ? 'key' : 'value';
          else if ((c === '}' && top.kind === '{') || (c === ']' && top.kind === '[')) this.close();
          else this.fail(`unexpected character ${JSON.stringify(c)}`);
          break;
      }
    }
    // A piece that goes on past this chunk keeps what it has so far.
    if (this.capture) this.capture.parts.push(text.slice(this.captureFrom ?? 0));
    this.captureFrom = 0;
  }

  /** Where, in the chunk being fed, the current capture's unsaved text starts. */
  private captureFrom: number | undefined = 0;

  private startValue(text: string, i: number, c: string): void {
    const top = this.stack.at(-1) as Level;
    const what = this.classify(c);
    if (what === 'descend') {
      this.open(c as '{' | '[');
      return;
    }
    const inString = c === '"';
    const depth = c === '{' || c === '[' ? 1 : 0;
    this.capture = {
      path: this.path(),
      stop: what === 'stop',
      inArray: top.kind === '[',
      parts: [],
      line: this.line,
      column: this.column,
      depth,
      inString,
      escape: false,
    };
    this.captureFrom = i;
    top.expect = 'comma-or-end';
  }

  private endCapture(text: string, last: number): void {
    const cap = this.capture as NonNullable<DocumentScanner['capture']>;
    cap.parts.push(text.slice(this.captureFrom ?? 0, last + 1));
    this.out.push({ path: cap.path, stop: cap.stop, inArray: cap.inArray, text: cap.parts.join('').trimEnd(), line: cap.line, column: cap.column });
    this.capture = null;
    this.captureFrom = 0;
    const top = this.stack.at(-1) as Level;
    if (top.kind === '[') top.index++;
  }

  private endKey(key: string): void {
    const top = this.stack.at(-1) as Level;
    const seen = this.seen.at(-1) as Set<string>;
    // A second "stops" would silently replace the first: the dump is refused instead.
    if (seen.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`);
    seen.add(key);
    top.key = key;
    top.expect = 'colon';
  }

  private open(kind: '{' | '['): void {
    if (this.stack.length >= this.maxDepth) this.fail('nesting too deep');
    if (this.stack.length > 0) this.containers.set(this.path().join('\u0000'), kind);
    this.stack.push({ kind, key: '', index: 0, expect: kind === '{' ? 'key-or-end' : 'value-or-end' });
    this.seen.push(new Set());
  }

  private close(): void {
    this.stack.pop();
    this.seen.pop();
    const parent = this.stack.at(-1);
    if (!parent) {
      this.done = true;
      return;
    }
    parent.expect = 'comma-or-end';
    if (parent.kind === '[') parent.index++;
  }

  /** The pieces completed since the last call. */
  pieces(): Piece[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Call at the end of the text: a document cut short is an error. */
  end(): void {
    // An error here points just past the last character, as the whole-text parser does.
    this.column++;
    if (this.capture && this.capture.depth === 0 && !this.capture.inString) {
      this.fail('unexpected end of input (truncated JSON?)');
    }
    if (!this.done) this.fail(this.started ? 'unexpected end of input (truncated JSON?)' : 'empty dump (no data)');
  }
}
