import { statSync } from 'node:fs';
// Detects a dump's format from its first line and reads its stops as a stream: NDJSON line by line,
// the JSON document formats (ts-audit and the bot's get_status()) stop by stop (document.ts).
import { setFlagsFromString } from 'node:v8';
import { DumpError } from '../errors.js';
import { parseZonedTime } from '../time.js';
import { decimalField, integerField, refuseUnknownKeys, requiredString, stateField, stopFromEntry } from './fields.js';
import { type JsonObject, type JsonValue, JsonSyntaxError, isObject, parseJson } from '../json.js';
import { DocumentScanner, type Piece } from './document.js';
import { LifecycleCollector, NDJSON_KIND, lifecycleFromEntry } from './lifecycles.js';
import { PairIndex } from '../key-index.js';
import { type Line, openSource } from './source.js';
import type { DumpHeader, DumpReader, MemoryStop } from './types.js';

export const DUMP_FORMAT_ID = 'ts-audit/stops@1';

export interface DumpOptions {
  /** For a dump holding one exchange's get_status() result: which exchange it is. */
  exchange?: string;
  timeoutMs: number;
  /** A dump URL sending more than this is refused (default 1 GiB). */
  maxBytes?: number;
}

/** Below this a dump file is read at full speed; above it (or from a URL or stdin, size unknown), V8 favours memory. */
export const SMALL_DUMP_BYTES = 32 * 1024 * 1024;

function isSmallFile(spec: string): boolean {
  if (spec === '-' || /^https?:\/\//i.test(spec)) return false;
  try {
    return statSync(spec).size < SMALL_DUMP_BYTES;
  } catch {
    return false; // openSource reports the problem
  }
}

export async function openDump(spec: string, options: DumpOptions): Promise<DumpReader> {
  // A dump may hold a million stops, and a run over it makes as many findings: V8 is told to favour
  // memory over speed before it sizes its heap for that, which keeps such a run within its memory
  // budget at some cost in speed (bench/README.md#other-figures). A file known to be small (the bot
  // holds hundreds of stops) does not need it: it made a small dump's diff collect garbage far more.
  if (!isSmallFile(spec)) setFlagsFromString('--optimize-for-size');
  const { name, lines } = await openSource(spec, options.timeoutMs, options.maxBytes);
  try {
    const reader = await readerOf(name, lines, options);
    return { ...reader, close: async () => void (await lines.return(undefined)) };
  } catch (err) {
    await lines.return(undefined);
    throw err;
  }
}

async function readerOf(name: string, lines: AsyncGenerator<Line>, options: DumpOptions): Promise<DumpReader> {
  const syntax = (err: unknown): never => {
    if (err instanceof JsonSyntaxError) throw new DumpError(`${name}:${err.line}:${err.column}: malformed JSON: ${err.reason}`);
    throw err;
  };

  // next(), not for-await: breaking out of for-await would close the stream the stops still come from.
  let first: Line | undefined;
  for (let r = await lines.next(); !r.done; r = await lines.next()) {
    if (r.value.text.trim() !== '') {
      first = r.value;
      break;
    }
  }
  if (!first) throw new DumpError(`${name}: empty dump (no data)`);

  let firstValue: JsonValue | undefined;
  try {
    // A first line in pieces is a single-line document, far longer than any NDJSON stop.
    firstValue = first.partial ? undefined : parseJson(first.text, first.number);
  } catch {
    firstValue = undefined; // the first line of a pretty-printed document
  }

  if (isObject(firstValue) && isNdjsonLine(firstValue)) {
    const isHeader = firstValue.exchange === undefined;
    const header: DumpHeader = { format: 'ts-audit-ndjson', dumpedAt: isHeader ? headerTime(name, firstValue) : null };
    if (isHeader) {
      checkFormatId(name, firstValue);
      refuseUnknownKeys(firstValue, ['format', 'dumpedAt'], `${name}:${first.number}: the header`);
    }
    const pendingFirst = isHeader ? undefined : first;
    const lifecycles = new LifecycleCollector(name);
    return {
      source: name,
      header: () => header,
      stops: () => guarded(name, ndjsonStops(name, pendingFirst, lines, syntax, lifecycles)),
      lifecycles: () => (lifecycles.byKey.size ? lifecycles.byKey : undefined),
    };
  }

  return openDocument(name, first, lines, options, syntax);
}

/**
 * A JSON document (the ts-audit format or the bot's get_status()), read as a stream: the text is
 * scanned as it arrives and each stop parsed on its own. The header (format, dumpedAt) is read up to
 * the first stop; when "stops" comes before them (ts-audit's own writer puts them first), the stops
 * are held until the end of the document instead.
 */
async function openDocument(
  name: string,
  first: Line,
  lines: AsyncGenerator<Line>,
  options: DumpOptions,
  syntax: (err: unknown) => never,
): Promise<DumpReader> {
  const scanner = new DocumentScanner(first.number);
  const members = new Map<string, JsonValue>();
  /** Stops cut out by the scanner and not yet taken (a 16 MiB piece of text can hold 50,000). */
  const queue = new Fifo<Piece>();
  /** Stops taken while the header was being read: given out first. */
  const held = new Fifo<Piece>();
  let ended = false;
  const feed = (text: string) => {
    try {
      scanner.feed(text);
    } catch (err) {
      syntax(err);
    }
  };
  feed(first.text);
  let previousPartial = first.partial === true;
  /** Reads on until a stop is complete (returns it) or the document ends (undefined). */
  const nextPiece = async (): Promise<Piece | undefined> => {
    for (;;) {
      for (const piece of scanner.pieces()) {
        if (piece.stop) queue.push(piece);
        else members.set(piece.path.join('\u0000'), parse(piece));
      }
      const stop = queue.shift();
      if (stop) return stop;
      if (ended) return undefined;
      const r = await lines.next();
      if (r.done) {
        ended = true;
        try {
          scanner.end();
        } catch (err) {
          syntax(err);
        }
      } else {
        feed(`${previousPartial ? '' : '\n'}${r.value.text}`);
        previousPartial = r.value.partial === true;
      }
    }
  };
  const parse = (piece: Piece): JsonValue => {
    try {
      return parseJson(piece.text, piece.line, piece.column);
    } catch (err) {
      return syntax(err);
    }
  };
  const member = (...path: string[]) => members.get(path.join('\u0000'));

  const firstStop = await nextPiece();
  const shape = scanner.containers;
  const topKeys = () => [...new Set([...members.keys(), ...shape.keys()].filter((k) => !k.includes('\u0000')))];
  const notADump = () =>
    new DumpError(
      `${name}: not a state dump ts-audit knows: expected {"format": "${DUMP_FORMAT_ID}", "stops": [...]}, NDJSON, or the bot's get_status() output`,
    );
  let header: DumpHeader;
  const lifecycles = new LifecycleCollector(name);
  let toStop: (piece: Piece, entry: number) => MemoryStop;
  let finalCheck: () => void;
  if (member('format') !== undefined || shape.get('stops') === '[') {
    // ts-audit's format. The header may come after the stops: then they are held to the end.
    if (firstStop && (member('format') === undefined || member('dumpedAt') === undefined)) {
      held.push(firstStop);
      for (let p = await nextPiece(); p; p = await nextPiece()) held.push(p);
    } else if (firstStop) held.push(firstStop);
    checkFormatId(name, { format: member('format') ?? null } as JsonObject);
    header = { format: 'ts-audit-json', dumpedAt: headerTime(name, { dumpedAt: member('dumpedAt') ?? null } as JsonObject) };
    toStop = (piece, entry) => stopFromEntry({ source: name, entry }, parse(piece));
    finalCheck = () => {
      refuseUnknownKeys(
        Object.fromEntries(topKeys().map((k) => [k, null])) as JsonObject,
        ['format', 'dumpedAt', 'stops', 'lifecycles'],
        `${name}: the top level`,
      );
      if (shape.get('stops') !== '[') throw new DumpError(`${name}: "stops" must be an array`);
      if (shape.get('lifecycles') === '{') throw new DumpError(`${name}: "lifecycles" must be an array`);
      lifecycles.addSection(member('lifecycles'));
    };
  } else if (shape.get('stops') === '{') {
    if (!options.exchange) throw new DumpError(`${name}: this is one exchange's get_status() result; say which exchange with --exchange`);
    if (firstStop) held.push(firstStop);
    header = { format: 'get-status', dumpedAt: null };
    toStop = (piece, entry) => statusStop(name, options.exchange as string, piece.path[1] as string, parse(piece), entry);
    finalCheck = () => undefined;
  } else {
    // get_status() of every exchange: {"binance": {"stops": {...}, ...}, ...}.
    if (firstStop) held.push(firstStop);
    else if (!topKeys().some((k) => shape.get(`${k}\u0000stops`) === '{')) throw notADump();
    header = { format: 'get-status', dumpedAt: null };
    toStop = (piece, entry) => statusStop(name, piece.path[0] as string, piece.path[2] as string, parse(piece), entry);
    finalCheck = () => {
      const keys = topKeys();
      if (keys.length === 0 || !keys.every((k) => shape.get(k) === '{' && shape.get(`${k}\u0000stops`) === '{')) throw notADump();
    };
  }
  const guard = duplicateGuard(name);
  // The first PRECHECK_STOPS stops are read, checked and converted now, before any database
  // connection: a dump of any real size (the bot holds hundreds) is checked completely first, as a
  // whole document always was; only a larger one is checked as it streams.
  const ready = new Fifo<MemoryStop>();
  let entry = 0;
  let exhausted = false;
  while (entry < PRECHECK_STOPS) {
    const piece = held.shift() ?? (await nextPiece());
    if (!piece) {
      exhausted = true;
      break;
    }
    ready.push(guard(toStop(piece, ++entry)));
  }
  if (exhausted) finalCheck();
  return {
    source: name,
    header: () => header,
    lifecycles: () => (lifecycles.byKey.size ? lifecycles.byKey : undefined),
    stops: async function* () {
      for (let stop = ready.shift(); stop; stop = ready.shift()) yield stop;
      if (exhausted) return;
      for (let piece = held.shift() ?? (await nextPiece()); piece; piece = held.shift() ?? (await nextPiece())) {
        yield guard(toStop(piece, ++entry));
      }
      finalCheck();
    },
  };
}

/** How many stops of a JSON document are checked before any database connection (see openDocument). */
export const PRECHECK_STOPS = 50_000;

function isNdjsonLine(obj: JsonObject): boolean {
  return (obj.exchange !== undefined && obj.symbol !== undefined) || (obj.format !== undefined && obj.stops === undefined);
}

function checkFormatId(name: string, obj: JsonObject): void {
  if (obj.format !== DUMP_FORMAT_ID) {
    throw new DumpError(`${name}: unsupported dump format ${JSON.stringify(obj.format ?? null)} (expected "${DUMP_FORMAT_ID}")`);
  }
}

function headerTime(name: string, obj: JsonObject): Date | null {
  const v = obj.dumpedAt;
  if (v === undefined || v === null) return null;
  const d = typeof v === 'string' ? parseZonedTime(v) : null;
  if (!d) throw new DumpError(`${name}: "dumpedAt" must be an ISO-8601 time with a zone, got ${JSON.stringify(v)}`);
  return d;
}

async function* ndjsonStops(
  name: string,
  first: Line | undefined,
  lines: AsyncGenerator<Line>,
  syntax: (err: unknown) => never,
  lifecycles: LifecycleCollector,
): AsyncGenerator<MemoryStop> {
  let entry = 0;
  let lifecycleEntry = 0;
  /** A stop, or undefined for a lifecycle line (`"kind": "lifecycle"`), which is collected instead. */
  const toStop = (line: Line): MemoryStop | undefined => {
    let value: JsonValue;
    try {
      value = parseJson(line.text, line.number);
    } catch (err) {
      return syntax(err);
    }
    if (isObject(value) && value.kind === NDJSON_KIND) {
      lifecycles.add(lifecycleFromEntry(`${name}:${line.number}`, ++lifecycleEntry, value, ['kind']), lifecycleEntry);
      return undefined;
    }
    return stopFromEntry({ source: `${name}:${line.number}`, entry: ++entry }, value);
  };
  if (first) {
    const stop = toStop(first);
    if (stop) yield stop;
  }
  let parts: string[] = [];
  for await (const line of lines) {
    // A line longer than a piece: joined again (it is one stop, however long).
    if (line.partial) {
      parts.push(line.text);
      continue;
    }
    const whole = parts.length ? { text: parts.join('') + line.text, number: line.number } : line;
    parts = [];
    if (whole.text.trim() === '') continue;
    const stop = toStop(whole);
    if (stop) yield stop;
  }
}

/** A first-in first-out queue with O(1) take (Array.shift is O(n): quadratic on a large queue). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** One stop of the bot's get_status(): {SYMBOL: {symbol, state, entry_price, stop_price, updates, ...}}. */
function statusStop(name: string, exchange: string, key: string, value: JsonValue, entry: number): MemoryStop {
  const ctx = { source: `${name} [${exchange}]`, entry };
  if (!isObject(value)) throw new DumpError(`${ctx.source}: stop ${key}: expected a JSON object`);
  const withKeys: JsonObject = { ...value, exchange, symbol: value.symbol ?? key };
  const symbol = requiredString(ctx, withKeys, 'symbol');
  if (symbol !== key) throw new DumpError(`${ctx.source}: stop ${key}: "symbol" says ${JSON.stringify(symbol)}, the key says ${key}`);
  return {
    entry: ctx.entry,
    exchange,
    symbol,
    state: stateField(ctx, withKeys),
    entryPrice: decimalField(ctx, withKeys, 'entry_price'),
    currentStopPrice: decimalField(ctx, withKeys, 'stop_price'),
    updateCount: integerField(ctx, withKeys, 'updates'),
  };
}

/** Rejects a second stop for the same (exchange, symbol): the bot's dict cannot hold two. */
function duplicateGuard(name: string): (stop: MemoryStop) => MemoryStop {
  // Every stop's pair is remembered: compactly past 100,000, since a dump may hold a million.
  const seen = new PairIndex();
  return (stop) => {
    const earlier = seen.set(stop.exchange, stop.symbol, stop.entry);
    if (earlier !== undefined) {
      throw new DumpError(`${name}: duplicate stop for ${stop.exchange} ${stop.symbol} (entries #${earlier} and #${stop.entry})`);
    }
    return stop;
  };
}

/**
 * The duplicate guard as a generator of its own around the NDJSON reader. Checking inside the reader
 * instead saves a promise a stop, but a diff of a 1,000,000-stop dump then peaked higher (V8 collected
 * its old space later; bench/README.md has the figures). The budget is 256 MB, so the layer stays.
 */
async function* guarded(name: string, stops: AsyncIterable<MemoryStop>): AsyncGenerator<MemoryStop> {
  const check = duplicateGuard(name);
  for await (const stop of stops) yield check(stop);
}
