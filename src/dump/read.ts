// Detects a dump's format from its first line and reads its stops. NDJSON is streamed line by line;
// the JSON document formats (ts-audit and the bot's get_status()) are parsed whole.
import { setFlagsFromString } from 'node:v8';
import { DumpError } from '../errors.js';
import { parseZonedTime } from '../time.js';
import { decimalField, integerField, refuseUnknownKeys, requiredString, stateField, stopFromEntry } from './fields.js';
import { type JsonObject, type JsonValue, JsonSyntaxError, isObject, parseJson } from './json.js';
import { KeyIndex } from './key-index.js';
import { type Line, openSource } from './source.js';
import type { DumpFormat, DumpHeader, DumpReader, MemoryStop } from './types.js';

export const DUMP_FORMAT_ID = 'ts-audit/stops@1';

export interface DumpOptions {
  /** For a dump holding one exchange's get_status() result: which exchange it is. */
  exchange?: string;
  timeoutMs: number;
}

export async function openDump(spec: string, options: DumpOptions): Promise<DumpReader> {
  // A dump may hold a million stops, and a run over it makes as many findings: V8 is told to favour
  // memory over speed before it sizes its heap for that. Measured on a million-stop dump against 20k
  // open positions: peak RSS 330 MB without, under 210 MB with, for every format (about 15% slower).
  setFlagsFromString('--optimize-for-size');
  const { name, lines } = await openSource(spec, options.timeoutMs);
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
    firstValue = parseJson(first.text, first.number);
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
    return {
      source: name,
      header: () => header,
      stops: () => guarded(name, ndjsonStops(name, pendingFirst, lines, syntax)),
    };
  }

  const chunks: string[] = [first.text];
  for await (const line of lines) chunks.push(line.text);
  let doc: JsonValue;
  try {
    doc = parseJson('\n'.repeat(first.number - 1) + chunks.join('\n'));
  } catch (err) {
    return syntax(err);
  }
  // A whole document is checked completely here, before any database connection is made.
  const { header, stops } = fromDocument(name, doc, options);
  stops.forEach(duplicateGuard(name));
  return {
    source: name,
    header: () => header,
    stops: async function* () {
      yield* stops;
    },
  };
}

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
): AsyncGenerator<MemoryStop> {
  let entry = 0;
  const toStop = (line: Line): MemoryStop => {
    let value: JsonValue;
    try {
      value = parseJson(line.text, line.number);
    } catch (err) {
      return syntax(err);
    }
    return stopFromEntry({ source: `${name}:${line.number}`, entry: ++entry }, value);
  };
  if (first) yield toStop(first);
  for await (const line of lines) {
    if (line.text.trim() !== '') yield toStop(line);
  }
}

function fromDocument(name: string, doc: JsonValue, options: DumpOptions): { header: DumpHeader; stops: MemoryStop[] } {
  if (!isObject(doc)) throw new DumpError(`${name}: expected a JSON object at the top level`);

  if (doc.format !== undefined) {
    checkFormatId(name, doc);
    refuseUnknownKeys(doc, ['format', 'dumpedAt', 'stops'], `${name}: the top level`);
    const list = doc.stops;
    if (!Array.isArray(list)) throw new DumpError(`${name}: "stops" must be an array`);
    const stops = list.map((value, i) => stopFromEntry({ source: name, entry: i + 1 }, value));
    return { header: { format: 'ts-audit-json', dumpedAt: headerTime(name, doc) }, stops };
  }

  const format: DumpFormat = 'get-status';
  if (isObject(doc.stops)) {
    if (!options.exchange) {
      throw new DumpError(`${name}: this is one exchange's get_status() result; say which exchange with --exchange`);
    }
    return { header: { format, dumpedAt: null }, stops: statusStops(name, options.exchange, doc, 0) };
  }
  const exchanges = Object.entries(doc);
  if (exchanges.length > 0 && exchanges.every(([, v]) => isObject(v) && isObject(v.stops))) {
    const stops: MemoryStop[] = [];
    for (const [exchange, status] of exchanges) stops.push(...statusStops(name, exchange, status as JsonObject, stops.length));
    return { header: { format, dumpedAt: null }, stops };
  }
  throw new DumpError(
    `${name}: not a state dump ts-audit knows: expected {"format": "${DUMP_FORMAT_ID}", "stops": [...]}, NDJSON, or the bot's get_status() output`,
  );
}

/** The bot's get_status(): {"active_stops", "stops": {SYMBOL: {symbol, state, entry_price, stop_price, updates, ...}}}. */
function statusStops(name: string, exchange: string, status: JsonObject, offset: number): MemoryStop[] {
  const stops = status.stops as JsonObject;
  return Object.entries(stops).map(([key, value], i) => {
    const ctx = { source: `${name} [${exchange}]`, entry: offset + i + 1 };
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
  });
}

/** Rejects a second stop for the same (exchange, symbol): the bot's dict cannot hold two. */
function duplicateGuard(name: string): (stop: MemoryStop) => MemoryStop {
  // Every stop's key is remembered: compactly, since a dump may hold a million.
  const seen = new KeyIndex();
  return (stop) => {
    const earlier = seen.set(`${stop.exchange}\u0000${stop.symbol}`, stop.entry);
    if (earlier !== undefined) {
      throw new DumpError(`${name}: duplicate stop for ${stop.exchange} ${stop.symbol} (entries #${earlier} and #${stop.entry})`);
    }
    return stop;
  };
}

async function* guarded(name: string, stops: AsyncIterable<MemoryStop>): AsyncGenerator<MemoryStop> {
  const check = duplicateGuard(name);
  for await (const stop of stops) yield check(stop);
}
