import { decimalText } from '../decimal.js';
import { RESTORE_COLUMNS, type RestoreRow } from '../db/rows.js';
import { ENTRY_TOLERANCE, ENTRY_TOLERANCE_PCT } from '../thresholds.js';
import type { DbCheck } from './types.js';

/** What a finding carries: which of the two says the row is an earlier position's, and both entries. */
type StaleRestoreEvidence = {
  entryMismatch: boolean;
  staleLink: boolean;
  positionEntryPrice: string | null;
  stopEntryPrice: string | null;
  stopPositionId: number | null;
};

const staleRestore: DbCheck<RestoreRow, StaleRestoreEvidence> = {
  id: 'stale-restore',
  kind: 'database',
  problemOf: [{ cause: 'earlier-row', rank: 2 }],
  commands: ['restore', 'check'],
  cause: 'carried-over',
  thresholds: [ENTRY_TOLERANCE, ENTRY_TOLERANCE_PCT],
  severities: ['high'],
  summary: 'A row a restart would restore although it belongs to an earlier position (entry mismatch or stale position_id).',
  query: 'restore',
  columns: RESTORE_COLUMNS,
  failureMode:
    'Restore never compares entry price, position_id or quantity, so a row carried over from an earlier position of the same symbol is restored as if current, with the old peak and stop.',
  repair:
    '`ts-audit rescue --delete-stale` writes the DELETE of the row, to apply while the bot is stopped so that a fresh stop is created from the open position; or correct the row.',
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
export default staleRestore;
