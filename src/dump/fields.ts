// Turns one parsed dump entry into a MemoryStop, naming the entry and field in every error.
import { Decimal } from '../decimal.js';
import { parseIsoTime } from '../time.js';
import { DumpError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { JsonNumber, type JsonObject, type JsonValue } from '../json.js';
import { type MemoryStop, STOP_STATES, normalizeSide } from './types.js';

export interface EntryContext {
  source: string;
  entry: number;
}

function where(ctx: EntryContext, obj?: JsonObject): string {
  const ex = typeof obj?.exchange === 'string' ? obj.exchange : '?';
  const sym = typeof obj?.symbol === 'string' ? obj.symbol : '?';
  return `${ctx.source}: stop #${ctx.entry} (${ex} ${sym})`;
}

function fail(ctx: EntryContext, obj: JsonObject | undefined, field: string, problem: string): never {
  throw new DumpError(`${where(ctx, obj)}: field "${field}": ${problem}`);
}

const show = (v: JsonValue): string => (v instanceof JsonNumber ? v.raw : JSON.stringify(v));

export function requiredString(ctx: EntryContext, obj: JsonObject, field: string): string {
  const v = obj[field];
  if (v === undefined || v === null) fail(ctx, obj, field, 'missing (required)');
  if (typeof v !== 'string' || v.trim() === '') fail(ctx, obj, field, `expected a non-empty string, got ${show(v)}`);
  return v.trim();
}

/**
 * A number in a dump, as a number or a string, is written as JSON writes numbers: no leading "+", no
 * spaces, no ".5" or "1.". "-0" is 0. Its digits and exponent are bounded far above any price
 * (MAX_DIGITS digits, an exponent within +-MAX_EXPONENT), so that "1e999999999" is refused at once
 * instead of being expanded.
 */
export const MAX_DIGITS = 100;
export const MAX_EXPONENT = 100;
const JSON_NUMBER = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * A number written as JSON writes it without an exponent ("0.19720000", "-12", what a dump's prices
 * are), read by position instead of JSON_NUMBER's match and its parts; undefined for any other text,
 * which strictDecimal matches (and refuses with the reason).
 */
function plainDecimal(text: string): Decimal | undefined {
  const n = text.length;
  const intStart = text.charCodeAt(0) === 45 ? 1 : 0;
  let i = intStart;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  if (intEnd === intStart || (text.charCodeAt(intStart) === 48 && intEnd - intStart > 1)) return undefined;
  let fracStart = i;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return undefined;
    fracStart = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === fracStart || i !== n) return undefined;
  }
  if (intEnd - intStart + (n - fracStart) > MAX_DIGITS) return undefined;
  return Decimal.fromParts(intStart === 1, text.slice(intStart, intEnd), text.slice(fracStart), undefined, text);
}

/** Digits only, at least one, no leading zero ("0" itself is one). */
function plainCount(text: string): boolean {
  const n = text.length;
  if (n === 0 || (n > 1 && text.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < n; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

function strictDecimal(ctx: EntryContext, obj: JsonObject, field: string, v: JsonValue): Decimal {
  const text = v instanceof JsonNumber ? v.raw : typeof v === 'string' ? v : null;
  const plain = text === null ? undefined : plainDecimal(text);
  if (plain) return plain;
  const m = text === null ? null : JSON_NUMBER.exec(text);
  if (!m || text === null) {
    const lenient = typeof v === 'string' && Decimal.parse(v) !== null;
    fail(
      ctx,
      obj,
      field,
      `not a decimal number: ${show(v)}${lenient ? ' (write it as JSON writes numbers: no "+", no spaces, a digit on both sides of the point)' : ''}`,
    );
  }
  const [, minus, intPart = '', fracPart = '', exponentText] = m;
  const digits = intPart.length + fracPart.length;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (digits > MAX_DIGITS || !(Math.abs(exponent) <= MAX_EXPONENT)) {
    const shown = text.length > 40 ? `${text.slice(0, 37)}…` : text;
    fail(ctx, obj, field, `${shown} is out of range: at most ${MAX_DIGITS} digits and an exponent within ±${MAX_EXPONENT}`);
  }
  return Decimal.fromParts(minus === '-', intPart, fracPart, exponentText, text);
}

export function decimalField(ctx: EntryContext, obj: JsonObject, field: string): Decimal | null | undefined {
  const v = obj[field];
  if (v === undefined) return undefined;
  if (v === null) return null;
  const d = strictDecimal(ctx, obj, field, v);
  if (d.isNegative()) fail(ctx, obj, field, `must not be negative: ${show(v)}`);
  return d;
}

export function integerField(ctx: EntryContext, obj: JsonObject, field: string): number | null | undefined {
  const v = obj[field];
  if (v === undefined) return undefined;
  if (v === null) return null;
  // A count written as digits (no leading zero) is its number, unless too long for a double.
  const text = v instanceof JsonNumber ? v.raw : typeof v === 'string' ? v : null;
  if (text !== null && text.length <= 15 && plainCount(text)) return Number(text);
  // 41, "41" and 41.0 (a Python float) are all 41.
  const d = strictDecimal(ctx, obj, field, v);
  const whole = !d.isNegative() && d.equals(d.round(0)) ? Number(d.round(0).toString()) : NaN;
  if (!Number.isSafeInteger(whole)) fail(ctx, obj, field, `expected a whole number >= 0, got ${show(v)}`);
  return whole;
}

export function booleanField(ctx: EntryContext, obj: JsonObject, field: string): boolean | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') fail(ctx, obj, field, `expected true or false, got ${show(v)}`);
  return v;
}

/**
 * A stop's own times are evidence only, never compared: one written without a zone (Python's
 * datetime.utcnow().isoformat()) is ignored rather than guessed, so it cannot fail a diff. Anything
 * that is not ISO-8601 at all is still an error.
 */
export function timeField(ctx: EntryContext, obj: JsonObject, field: string): Date | null | undefined {
  const v = obj[field];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'string') {
    const time = parseIsoTime(v);
    if (time?.zoned) return time.date;
    if (time) return undefined;
  }
  return fail(ctx, obj, field, `expected an ISO-8601 time with a zone (e.g. 2025-10-26T16:30:34Z), got ${show(v)}`);
}

export function stateField(ctx: EntryContext, obj: JsonObject, field = 'state'): string {
  const state = requiredString(ctx, obj, field).toLowerCase();
  if (!(STOP_STATES as readonly string[]).includes(state)) {
    fail(ctx, obj, field, `unknown state ${JSON.stringify(obj[field])} (expected one of ${STOP_STATES.join(', ')})`);
  }
  return state;
}

export function sideField(ctx: EntryContext, obj: JsonObject): MemoryStop['side'] {
  const v = obj.side;
  if (v === undefined || v === null) return undefined;
  const side = typeof v === 'string' ? normalizeSide(v) : null;
  if (!side) fail(ctx, obj, 'side', `unknown side ${show(v)} (expected long, short, buy or sell)`);
  return side;
}

/** The fields of an entry in the ts-audit stop format (dump-v1.schema.json). */
export const STOP_FIELDS = [
  'exchange',
  'symbol',
  'state',
  'side',
  'is_activated',
  'entry_price',
  'highest_price',
  'lowest_price',
  'current_stop_price',
  'activation_price',
  'quantity',
  'update_count',
  'created_at',
  'activated_at',
  'last_update_time',
] as const;

/** Refuses a key the format does not define: a misspelt field would otherwise silently not be compared. */
export function refuseUnknownKeys(obj: JsonObject, known: readonly string[], at: string | (() => string)): void {
  let set = knownSets.get(known);
  if (!set) knownSets.set(known, (set = new Set(known)));
  for (const key of Object.keys(obj)) {
    if (!set.has(key)) throw new DumpError(`${typeof at === 'string' ? at : at()}: unknown field "${key}"${didYouMean(key, known)}`);
  }
}

// Each list of known keys as a set, made once: a dump checks every stop's keys against the same list.
const knownSets = new WeakMap<readonly string[], Set<string>>();

/** An entry in the ts-audit stop format (snake_case, like the table's columns). */
export function stopFromEntry(ctx: EntryContext, value: JsonValue): MemoryStop {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof JsonNumber) {
    throw new DumpError(`${where(ctx)}: expected a JSON object, got ${show(value)}`);
  }
  const obj = value;
  refuseUnknownKeys(obj, STOP_FIELDS, () => where(ctx, obj));
  return {
    entry: ctx.entry,
    exchange: requiredString(ctx, obj, 'exchange'),
    symbol: requiredString(ctx, obj, 'symbol'),
    state: stateField(ctx, obj),
    side: sideField(ctx, obj),
    isActivated: booleanField(ctx, obj, 'is_activated'),
    entryPrice: decimalField(ctx, obj, 'entry_price'),
    highestPrice: decimalField(ctx, obj, 'highest_price'),
    lowestPrice: decimalField(ctx, obj, 'lowest_price'),
    currentStopPrice: decimalField(ctx, obj, 'current_stop_price'),
    activationPrice: decimalField(ctx, obj, 'activation_price'),
    quantity: decimalField(ctx, obj, 'quantity'),
    updateCount: integerField(ctx, obj, 'update_count'),
    createdAt: timeField(ctx, obj, 'created_at'),
    activatedAt: timeField(ctx, obj, 'activated_at'),
    lastUpdateTime: timeField(ctx, obj, 'last_update_time'),
  };
}
