import { type MemoryStop, memoryActivated } from '../dump/types.js';
import type { Decimal } from '../decimal.js';
import type { DiffCheck, DiffSides, FindingOf } from './types.js';

/** What a finding carries: the stop memory holds, and the open position (if any) it is for. */
type MissingInDbEvidence = {
  memory: {
    state: string;
    isActivated: boolean;
    side: MemoryStop['side'] | null;
    entryPrice: Decimal | null;
    peak: Decimal | null;
    currentStopPrice: Decimal | null;
    updateCount: number | null;
    createdAt: Date | null;
    origin?: MemoryStop['origin'];
  };
  positionOpen: boolean;
  positionOpenedAt: Date | null;
  hasTrailingStopFlag: boolean | null;
};

const missingInDb: DiffCheck<MissingInDbEvidence> = {
  id: 'missing-in-db',
  kind: 'diff',
  rescue: 'insert',
  problemOf: [{ cause: 'no-row', rank: 0 }],
  commands: ['diff'],
  cause: 'saves-failing',
  memoryMismatch: true,
  severities: ['critical', 'high'],
  severityText: 'critical when the memory stop is activated, else high',
  failureMode:
    'The 2025-10-26 incident: saves failed while the connection pool was not initialised; the error was logged and the stop kept in memory anyway. Memory held 14 stops, the database 1, and the restart recreated 13 from scratch.',
  repair:
    'Before restarting: `ts-audit rescue --from-events -o rescue.sql` (or --dump FILE) writes the rows memory holds; review the script, apply it with psql, and check with `ts-audit restore` that every open position gets its stop back. Then fix persistence (logs: "Failed to save TS state", "Repository pool not initialized") so that new stops are saved, and run `ts-audit diff` again until it is clean.',
  summary: 'A stop held in memory has no row: a restart recreates it from scratch (the 2025-10-26 incident).',
  evaluate: ({ stop, row, position }) => (stop && !row ? finding(stop, position) : null),
};
export default missingInDb;

/** A stop in memory with no row for its (exchange, symbol). */
function finding(stop: MemoryStop, position: DiffSides['position']): FindingOf<MissingInDbEvidence> {
  const activated = memoryActivated(stop);
  const peak = stop.side === 'short' ? stop.lowestPrice : stop.highestPrice;
  return {
    check: missingInDb.id,
    severity: activated ? 'critical' : 'high',
    exchange: stop.exchange,
    symbol: stop.symbol,
    positionId: position?.id ?? null,
    message: `${
      activated
        ? 'activated stop exists only in memory: a restart recreates it inactive and loses its peak'
        : 'stop exists only in memory: a restart recreates it from scratch'
    }${
      // A later event of the stop (its activation, a move) proves the creation worked.
      stop.origin === 'journal-created' && !activated && stop.updateCount === undefined
        ? '. The journal cannot tell it from a creation that failed after its event was written: then the position trails nothing'
        : ''
    }`,
    evidence: {
      memory: {
        state: stop.state,
        isActivated: activated,
        side: stop.side ?? null,
        entryPrice: stop.entryPrice ?? null,
        peak: peak ?? null,
        currentStopPrice: stop.currentStopPrice ?? null,
        updateCount: stop.updateCount ?? null,
        createdAt: stop.createdAt ?? null,
        ...(stop.origin ? { origin: stop.origin } : {}),
      },
      positionOpen: position !== undefined,
      positionOpenedAt: position?.opened_at ?? null,
      hasTrailingStopFlag: position?.has_trailing_stop ?? null,
    },
  };
}
