import { Decimal, type Tolerance, isNonFinite, withinTolerance } from '../decimal.js';
import type { OpenPositionRow, StopRow } from '../db/rows.js';
import { rowActivated } from '../db/rows.js';
import { type MemoryStop, memoryActivated, normalizeSide } from '../dump/types.js';
import type { Severity } from '../severity.js';
import { restartLosesText } from '../words.js';
import type { DiffCheck, DiffContext, FindingOf } from './types.js';

type Value = string | boolean | number | null;
interface Difference {
  field: string;
  memory: Value;
  db: Value;
}

/**
 * What a finding carries: each field that differs with both values, the side compared, and what a
 * restart would lose of an activated stop (how far memory's peak and stop are ahead of the row's).
 */
type FieldDriftEvidence = { fields: Difference[]; side: string; restartLoses?: Record<string, string> };

const fieldDrift: DiffCheck<FieldDriftEvidence> = {
  id: 'field-drift',
  kind: 'diff',
  rescue: 'update',
  problemOf: [{ cause: 'row-behind', rank: 0 }],
  commands: ['diff'],
  comparesFields: true,
  severities: ['critical', 'high', 'medium', 'low'],
  severityText:
    "critical when memory is activated and the row is not, or when the row's side is not its open position's; high when an activated memory stop's peak or stop is ahead of the row's, when the entry price differs, or when the sides differ otherwise; low for `update_count` alone; else medium",
  failureMode:
    'Only active stops persist peaks, saves are rate-limited, and a failed save leaves the row behind memory. A restart restores the row, so whatever memory is ahead of it is lost.',
  repair:
    '`ts-audit rescue --from-events -o rescue.sql` (or --dump FILE) brings rows that lag memory up to it: review and apply the script, then diff again. Or let the bot save (or trigger a save) and diff again; if saves keep failing, fix persistence before restarting.',
  summary: 'Memory and row disagree on state, activation, side, entry, peak, stop, activation price, quantity or update count.',
  evaluate: ({ stop, row, position }, ctx) => (stop && row ? evaluateFieldDrift(stop, row, position, ctx) : null),
  // Each differing field with both values, and what a restart loses.
  details: (e) => [
    ...e.fields.map((d) => `${d.field}: memory ${String(d.memory)}, db ${String(d.db)}`),
    ...(e.restartLoses ? [restartLosesText(e.restartLoses)] : []),
  ],
};
export default fieldDrift;

const text = (d: Decimal | null | undefined): string | null => (d ? d.toString() : null);
/** A row's numeric as a decimal; NaN and ±Infinity (reported as corrupted rows) compare as nothing. */
const dbDecimal = (s: string | null): Decimal | null => (s === null || isNonFinite(s) ? null : Decimal.of(s));

/** Both sides of one stop; null when they agree on every field the dump gives. */
function evaluateFieldDrift(stop: MemoryStop, row: StopRow, position: OpenPositionRow | undefined, ctx: DiffContext): FindingOf<FieldDriftEvidence> | null {
  const side = stop.side ?? normalizeSide(row.side) ?? 'long';
  const peakColumn = side === 'short' ? 'lowest_price' : 'highest_price';
  const memoryPeak = side === 'short' ? stop.lowestPrice : stop.highestPrice;
  const diffs: Difference[] = [];

  const rowState = row.state.trim().toLowerCase();
  // An empty state is one the memory side does not know (the journal says only whether it activated).
  if (stop.state !== '' && stop.state !== rowState) diffs.push({ field: 'state', memory: stop.state, db: row.state });
  if (stop.isActivated !== undefined && stop.isActivated !== row.is_activated) {
    diffs.push({ field: 'is_activated', memory: stop.isActivated, db: row.is_activated });
  }
  if (stop.side !== undefined && stop.side !== normalizeSide(row.side)) diffs.push({ field: 'side', memory: stop.side, db: row.side });

  const price = (field: string, memory: Decimal | null | undefined, db: string | null, tolerant: boolean) => {
    if (memory === undefined) return;
    // Written as the row holds it (the common case, a dump of what the bot saved): the same number.
    if (memory?.writtenAs(db)) return;
    if (isNonFinite(db)) {
      diffs.push({ field, memory: text(memory), db });
      return;
    }
    const stored = dbDecimal(db);
    if (samePrice(memory, stored, ctx.scales[field] ?? null, tolerant ? ctx : undefined, stop.approximate)) return;
    diffs.push({ field, memory: text(memory), db: text(stored) });
  };
  price('entry_price', stop.entryPrice, row.entry_price, true);
  price(peakColumn, memoryPeak, row[peakColumn], true);
  price('current_stop_price', stop.currentStopPrice, row.current_stop_price, true);
  price('activation_price', stop.activationPrice, row.activation_price, true);
  price('quantity', stop.quantity, row.quantity, false);
  if (stop.updateCount !== undefined && stop.updateCount !== row.update_count) {
    diffs.push({ field: 'update_count', memory: stop.updateCount, db: row.update_count });
  }
  if (diffs.length === 0) return null;

  const activatedInMemory = memoryActivated(stop);
  // What a restart would lose: how far memory's peak and stop have moved beyond the row's, in the
  // stop's favourable direction (up for a long, down for a short).
  const restartLoses: Record<string, string> = {};
  if (activatedInMemory) {
    const ahead = (field: string, exact: Decimal | null | undefined, db: string | null) => {
      if (!exact || !diffs.some((d) => d.field === field)) return;
      // What a save would have stored: memory at the column's scale.
      const scale = ctx.scales[field] ?? null;
      const memory = scale === null ? exact : exact.round(scale);
      const stored = dbDecimal(db);
      if (!stored) {
        restartLoses[field] = memory.toString();
        return;
      }
      const moved = side === 'short' ? stored.minus(memory) : memory.minus(stored);
      if (!moved.isNegative() && !moved.isZero()) restartLoses[field] = moved.toString();
    };
    ahead(peakColumn, memoryPeak, row[peakColumn]);
    ahead('current_stop_price', stop.currentStopPrice, row.current_stop_price);
  }

  const { severity, message } = driftSeverity(diffs, activatedInMemory && !rowActivated(row), Object.keys(restartLoses), row, position);
  return {
    check: fieldDrift.id,
    severity,
    exchange: stop.exchange,
    symbol: stop.symbol,
    positionId: position?.id ?? null,
    message,
    evidence: { fields: diffs, side, ...(Object.keys(restartLoses).length > 0 ? { restartLoses } : {}) },
  };
}

/**
 * The README's severity rules, applied to drift: the same fact has the same severity as in the check
 * that finds it from the database alone (a row on the other side from its position is critical; an
 * entry price that differs is high, as a row of an earlier position is).
 */
function driftSeverity(
  diffs: Difference[],
  activationLost: boolean,
  loses: string[],
  row: StopRow,
  position: OpenPositionRow | undefined,
): { severity: Severity; message: string } {
  const fields = diffs.map((d) => d.field).join(', ');
  const differs = (field: string) => diffs.some((d) => d.field === field);
  const rowSide = normalizeSide(row.side) ?? 'long';
  const positionSide = position ? normalizeSide(position.side) : null;
  if (activationLost)
    return {
      severity: 'critical',
      message: `activated in memory but not in the row: a restart restores it as ${row.state.trim().toLowerCase()} (differs: ${fields})`,
    };
  if (differs('side') && positionSide !== null && positionSide !== rowSide) {
    return {
      severity: 'critical',
      message: `the row is ${rowSide} but the position is ${positionSide}: every stop update is rejected, and a restart deletes the row (differs: ${fields})`,
    };
  }
  if (loses.length > 0) return { severity: 'high', message: `memory is ahead of the row: a restart moves ${loses.join(' and ')} back (differs: ${fields})` };
  if (differs('entry_price'))
    return { severity: 'high', message: `the row's entry price is not memory's: it may belong to an earlier position of the symbol (differs: ${fields})` };
  if (differs('side')) return { severity: 'high', message: `memory and row disagree on the side (differs: ${fields})` };
  if (diffs.every((d) => d.field === 'update_count')) return { severity: 'low', message: 'only update_count differs (saves are rate-limited)' };
  return { severity: 'medium', message: `memory and row differ: ${fields}` };
}

/**
 * Equal as decimals at the column's scale (memory is rounded as PostgreSQL would store it), within
 * tolerance. A value from a JSON float (the journal) may differ from the decimal the bot saved in its
 * last digit: it is equal within one unit of the column's scale (10^-scale; 1e-12 relative when the
 * column has no scale).
 */
function samePrice(memory: Decimal | null, db: Decimal | null, scale: number | null, ctx?: DiffContext, approximate = false): boolean {
  if (memory === null || db === null) return memory === db;
  const stored = scale === null ? memory : memory.round(scale);
  if (stored.equals(db)) return true;
  if (approximate) {
    const unit: Tolerance = scale === null ? { kind: 'percent', percent: Decimal.of('0.0000000001') } : { kind: 'absolute', amount: Decimal.of(`1e-${scale}`) };
    if (withinTolerance(stored, db, unit)) return true;
  }
  return ctx !== undefined && withinTolerance(stored, db, ctx.priceTolerance);
}
