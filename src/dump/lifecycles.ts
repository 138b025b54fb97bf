// The optional lifecycles section of a ts-audit dump: the current bot's signal lifecycles as memory
// holds them (a bot hook writes max_price, ts_activated, state and entry_price per symbol and exchange),
// compared by the lifecycle checks with the rows of monitoring.signal_lifecycles.
import { stopKey } from '../finding.js';
import { DumpError } from '../errors.js';
import type { MemoryLifecycle, MemoryLifecycles } from '../lifecycles/memory.js';
import { booleanField, decimalField, refuseUnknownKeys, requiredString } from './fields.js';
import { type JsonValue, isObject } from '../json.js';

export const LIFECYCLE_STATES = ['waiting_data', 'in_position', 'reentry_wait', 'finalized'] as const;
const FIELDS = ['exchange', 'symbol', 'state', 'max_price', 'ts_activated', 'entry_price'] as const;
/** The NDJSON variant marks a lifecycle line with this, beside its fields. */
export const NDJSON_KIND = 'lifecycle';

export function lifecycleFromEntry(source: string, entry: number, value: JsonValue, extra: readonly string[] = []): MemoryLifecycle {
  const ctx = { source: `${source}: lifecycles`, entry };
  if (!isObject(value)) throw new DumpError(`${ctx.source}: entry #${entry}: expected a JSON object`);
  refuseUnknownKeys(value, [...FIELDS, ...extra], () => `${ctx.source}: entry #${entry}`);
  const exchange = requiredString(ctx, value, 'exchange');
  const symbol = requiredString(ctx, value, 'symbol');
  const state = value.state;
  if (state !== undefined && state !== null && (typeof state !== 'string' || !(LIFECYCLE_STATES as readonly string[]).includes(state.trim().toLowerCase()))) {
    throw new DumpError(`${ctx.source}: entry #${entry} (${exchange} ${symbol}): field "state": expected one of ${LIFECYCLE_STATES.join(', ')}`);
  }
  return {
    exchange,
    symbol,
    ...(typeof state === 'string' ? { state: state.trim().toLowerCase() } : {}),
    ...optional('maxPrice', decimalField(ctx, value, 'max_price')),
    ...optional('tsActivated', booleanField(ctx, value, 'ts_activated')),
    ...optional('entryPrice', decimalField(ctx, value, 'entry_price')),
    source: 'the dump',
    exact: true,
  };
}

function optional<K extends string, V>(key: K, v: V | null | undefined): Partial<Record<K, V>> {
  return v === null || v === undefined ? {} : ({ [key]: v } as Record<K, V>);
}

/** Collects lifecycles by (exchange, symbol); a second one for a pair is refused, as for stops. */
export class LifecycleCollector {
  readonly byKey: MemoryLifecycles = new Map();

  constructor(private readonly source: string) {}

  add(lifecycle: MemoryLifecycle, entry: number): void {
    const key = stopKey(lifecycle.exchange ?? '', lifecycle.symbol);
    if (this.byKey.has(key)) throw new DumpError(`${this.source}: duplicate lifecycle for ${lifecycle.exchange} ${lifecycle.symbol} (entry #${entry})`);
    this.byKey.set(key, lifecycle);
  }

  /** From a document's "lifecycles" member (an array), if it has one. */
  addSection(value: JsonValue | undefined): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) throw new DumpError(`${this.source}: "lifecycles" must be an array`);
    value.forEach((v, i) => this.add(lifecycleFromEntry(this.source, i + 1, v), i + 1));
  }
}
