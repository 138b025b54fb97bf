// A restart simulated with the bot's restore rules (the SQL applies them; see queries/restore.sql).
import { RESTORE_COLUMNS, type RestoreRow } from '../db/rows.js';
import { memoryActivated } from '../dump/types.js';
import type { DbCheck, FindingOf } from './types.js';
import { stopKey } from './types.js';

const ON_RESTART: Record<RestoreRow['outcome'], (state: string | null) => string> = {
  'created-new': () => 'create a new stop',
  'deleted-and-recreated': () => 'delete the row and create a new stop',
  restored: (state) => `restore it as ${state ?? 'unknown'}`,
};

/** What a finding carries: what a restart would do and why, and (with a memory side) whether memory holds the stop activated. */
type RestoreLossEvidence = { outcome: RestoreRow['outcome']; reason: string; restoredState: string | null; activatedInMemory: boolean | null };

const restoreLoss: DbCheck<RestoreRow, RestoreLossEvidence> = {
  id: 'restore-loss',
  kind: 'database',
  problemOf: [
    { cause: 'no-row', rank: 4, when: (e) => e.outcome === 'created-new' },
    { cause: 'wrong-side', rank: 1, when: (e) => e.outcome === 'deleted-and-recreated' },
    { cause: 'row-behind', rank: 1, when: (e) => e.outcome === 'restored' },
  ],
  commands: ['restore', 'check'],
  severities: ['critical', 'high'],
  severityText: 'high; critical with a dump when the stop is activated in memory',
  summary: 'An open position whose stop a restart would not restore (created new, or deleted and recreated).',
  query: 'restore',
  columns: RESTORE_COLUMNS,
  failureMode:
    "On restart the bot restores each open position's stop from its row; with no row, or a row on the other side, it creates a new stop and the peak, activation and counters are gone (1 of 14 restored on 2025-10-26).",
  repair:
    'Before restarting: `ts-audit rescue --from-events -o rescue.sql` (or --dump FILE) writes the rows memory holds and corrects sides memory agrees with; review and apply the script, then run `ts-audit restore` again. Otherwise accept the loss knowingly.',
  evaluate: (rows, ctx) =>
    rows.flatMap((r): FindingOf<RestoreLossEvidence>[] => {
      const memory = ctx.memory?.get(stopKey(r.exchange, r.symbol));
      const activatedInMemory = memory !== undefined && memoryActivated(memory);
      const comesBackInactive = r.outcome === 'restored' && r.restored_state !== 'active';
      if (r.outcome === 'restored' && !(activatedInMemory && comesBackInactive)) return [];
      const critical = activatedInMemory;
      return [
        {
          check: 'restore-loss',
          severity: critical ? 'critical' : 'high',
          exchange: r.exchange,
          symbol: r.symbol,
          positionId: r.position_id,
          message: `${critical ? 'activated in memory, but ' : ''}a restart would ${ON_RESTART[r.outcome](r.restored_state)}: ${r.reason}`,
          evidence: { outcome: r.outcome, reason: r.reason, restoredState: r.restored_state, activatedInMemory: memory ? activatedInMemory : null },
        },
      ];
    }),
  facts: (e) => (e.activatedInMemory === true ? ['activated-in-memory'] : []),
};
export default restoreLoss;
