import type { OpenPositionRow, StopRow } from '../db/rows.js';
import { rowActivated } from '../db/rows.js';
import type { DiffCheck, DiffContext, FindingOf } from './types.js';

/** What a finding carries: whether the row is newer than the dump, and the row as the table holds it. */
type MissingInMemoryEvidence = {
  createdAfterDump: boolean;
  rowCreatedAt: Date;
  dumpedAt: Date | null;
  positionOpenedAt: Date | null;
  db: { state: string; isActivated: boolean; activated: boolean; side: string; positionId: string | null };
};

const missingInMemory: DiffCheck<MissingInMemoryEvidence> = {
  id: 'missing-in-memory',
  kind: 'diff',
  commands: ['diff'],
  memoryMismatch: true,
  severities: ['high', 'info'],
  severityText: 'high; info when the row was created after `dumpedAt`',
  failureMode: 'The row exists but the bot no longer trails the position: the stop was removed from memory (or never loaded) while the position stayed open.',
  repair:
    "Check the bot's logs for the symbol; a restart would restore this row, which is usually what you want, but verify its entry and side first (`ts-audit restore`).",
  summary: 'A row for an open position that the bot does not hold in memory: the position is unprotected until a restart.',
  // A row whose position is not open is the orphan checks' business.
  evaluate: ({ stop, row, position }, ctx) => (!stop && row ? finding(row, position, ctx) : null),
};
export default missingInMemory;

/** A row whose position is open but which the dump does not hold; null when its position is not open. */
function finding(row: StopRow, position: OpenPositionRow | undefined, ctx: DiffContext): FindingOf<MissingInMemoryEvidence> | null {
  if (!position) return null;
  const createdAfterDump = ctx.dumpedAt !== null && row.created_at.getTime() > ctx.dumpedAt.getTime();
  return {
    check: missingInMemory.id,
    severity: createdAfterDump ? 'info' : 'high',
    exchange: row.exchange,
    symbol: row.symbol,
    positionId: position.id,
    message: createdAfterDump
      ? 'row created after the dump was taken: probably newer than the dump, not missing'
      : 'open position has a stop row but no stop in memory: nothing is trailing it',
    evidence: {
      createdAfterDump,
      rowCreatedAt: row.created_at,
      dumpedAt: ctx.dumpedAt,
      positionOpenedAt: position.opened_at,
      db: { state: row.state, isActivated: row.is_activated, activated: rowActivated(row), side: row.side, positionId: row.position_id },
    },
  };
}
