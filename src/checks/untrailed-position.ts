import type { OpenPositionRow } from '../db/rows.js';
import type { DiffCheck, DiffContext, FindingOf } from './types.js';

/** What a finding carries: whether the position is newer than the dump, whether the dump covers its exchange, its flag. */
type UntrailedEvidence = {
  openedAfterDump: boolean;
  positionOpenedAt: Date | null;
  dumpedAt: Date | null;
  dumpHasExchange: boolean;
  hasTrailingStopFlag: boolean | null;
};

const untrailedPosition: DiffCheck<UntrailedEvidence> = {
  id: 'untrailed-position',
  kind: 'diff',
  problemOf: [{ cause: 'no-row', rank: 1 }],
  commands: ['diff'],
  severities: ['high', 'info'],
  severityText: 'high; info when the position opened after `dumpedAt`',
  failureMode:
    'The current bot raises when a save fails (RuntimeError: Pool not initialized), so the stop is created neither in memory nor in the table: memory and table agree, and the position trails nothing. A dump that covers only part of the bot (one exchange, a truncated file) leaves positions with no memory stop in the same way.',
  repair:
    'Check the logs for "Repository pool not initialized" or "Failed to create trailing stop" for the symbol; fix persistence, then let the bot create the stop (a restart creates a new one from the position). If the dump is partial, take a whole one and diff again.',
  summary: 'An open position with no stop in memory and no row: nothing trails it.',
  evaluate: ({ stop, row, position, dumpHasExchange }, ctx) => (!stop && !row && position ? finding(position, dumpHasExchange, ctx) : null),
};
export default untrailedPosition;

/** An open position that neither side holds a stop for. */
function finding(position: OpenPositionRow, dumpHasExchange: boolean, ctx: DiffContext): FindingOf<UntrailedEvidence> {
  const openedAfterDump = ctx.dumpedAt !== null && position.opened_at !== null && position.opened_at.getTime() > ctx.dumpedAt.getTime();
  const partial = dumpHasExchange ? '' : ` (the dump holds no stop of ${position.exchange} at all: is it partial?)`;
  return {
    check: untrailedPosition.id,
    severity: openedAfterDump ? 'info' : 'high',
    exchange: position.exchange,
    symbol: position.symbol,
    positionId: position.id,
    message: openedAfterDump
      ? 'position opened after the dump was taken and has no row yet: probably newer than the dump'
      : `open position has no stop in memory and no row: nothing trails it${partial}`,
    evidence: {
      openedAfterDump,
      positionOpenedAt: position.opened_at,
      dumpedAt: ctx.dumpedAt,
      dumpHasExchange,
      hasTrailingStopFlag: position.has_trailing_stop,
    },
  };
}
