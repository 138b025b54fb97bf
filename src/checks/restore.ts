// `ts-audit restore`: a restart simulated with the bot's restore rules (the SQL applies them; see
// queries/restore.sql). Two checks read the same rows.
import { decimalText } from '../decimal.js';
import { memoryActivated } from '../dump/types.js';
import type { DbCheck, Finding } from './types.js';
import { stopKey } from './types.js';

export interface RestoreRow {
  position_id: number;
  exchange: string;
  symbol: string;
  outcome: 'restored' | 'created-new' | 'deleted-and-recreated';
  reason: string;
  restored_state: string | null;
  stop_position_id: string | null;
  position_entry_price: string;
  stop_entry_price: string | null;
  entry_mismatch: boolean;
  stale_link: boolean;
  position_side: string;
  stop_side: string | null;
}


const ON_RESTART: Record<RestoreRow['outcome'], (state: string | null) => string> = {
  'created-new': () => 'create a new stop',
  'deleted-and-recreated': () => 'delete the row and create a new stop',
  restored: (state) => `restore it as ${state ?? 'unknown'}`,
};

export const restoreLoss: DbCheck<RestoreRow> = {
  id: 'restore-loss',
  severities: ['critical', 'high'],
  summary: 'An open position whose stop a restart would not restore (created new, or deleted and recreated).',
  query: 'restore',
  failureMode:
    'On restart the bot restores each open position\'s stop from its row; with no row, or a row on the other side, it creates a new stop and the peak, activation and counters are gone (1 of 14 restored on 2025-10-26).',
  repair: 'Before restarting: make the bot persist its stops (see `ts-audit diff`), fix side mismatches, or accept the loss knowingly.',
  evaluate: (rows, ctx) =>
    rows.flatMap((r): Finding[] => {
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
};

export const staleRestore: DbCheck<RestoreRow> = {
  id: 'stale-restore',
  severities: ['high'],
  summary: "A row a restart would restore although it belongs to an earlier position (entry mismatch or stale position_id).",
  query: 'restore',
  failureMode:
    'Restore never compares entry price, position_id or quantity, so a row carried over from an earlier position of the same symbol is restored as if current, with the old peak and stop.',
  repair: 'Delete the row while the bot is stopped so that a fresh stop is created from the open position, or correct it.',
  evaluate: (rows) =>
    rows
      .filter((r) => r.outcome === 'restored' && (r.entry_mismatch || r.stale_link))
      .map((r) => ({
        check: 'stale-restore',
        severity: 'high',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message: `a restart would restore a row of an earlier position (${[r.entry_mismatch ? `entry ${decimalText(r.stop_entry_price)} vs ${decimalText(r.position_entry_price)}` : '', r.stale_link ? `position_id ${r.stop_position_id ?? 'null'} vs ${r.position_id}` : ''].filter(Boolean).join('; ')})`,
        evidence: {
          entryMismatch: r.entry_mismatch,
          staleLink: r.stale_link,
          positionEntryPrice: decimalText(r.position_entry_price),
          stopEntryPrice: decimalText(r.stop_entry_price),
          stopPositionId: r.stop_position_id === null ? null : Number(r.stop_position_id),
        },
      })),
};
