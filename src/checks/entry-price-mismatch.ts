import { decimalText } from '../decimal.js';
import { ENTRY_TOLERANCE, ENTRY_TOLERANCE_PCT } from '../thresholds.js';
import type { DbCheck } from './types.js';

interface Row {
  position_id: number;
  exchange: string;
  symbol: string;
  position_entry_price: string;
  stop_entry_price: string;
  abs_diff: string;
  rel_diff_pct: string | null;
  caught_by_cleanup_rule: boolean;
  stop_position_id: string | null;
  stop_created_at: Date;
}

/** What a finding carries: both entry prices, their difference, and whether the bot's own clean-up rule catches it. */
type EntryMismatchEvidence = {
  positionEntryPrice: string | null;
  stopEntryPrice: string | null;
  absoluteDifference: string | null;
  relativeDifferencePct: string | null;
  caughtByCleanupRule: boolean;
  stopPositionId: number | null;
  stopCreatedAt: Date;
};

const entryPriceMismatch: DbCheck<Row, EntryMismatchEvidence> = {
  id: 'entry-price-mismatch',
  kind: 'database',
  rescue: 'delete-stale',
  problemOf: [{ cause: 'earlier-row', rank: 0 }],
  commands: ['entry-mismatch', 'check'],
  cause: 'carried-over',
  thresholds: [ENTRY_TOLERANCE, ENTRY_TOLERANCE_PCT],
  severities: ['high'],
  summary: "A stop row's entry price is not its open position's: the row belongs to an earlier position of the symbol.",
  query: 'entry-price-mismatch',
  columns: {
    position_id: true,
    exchange: true,
    symbol: true,
    position_entry_price: true,
    stop_entry_price: true,
    abs_diff: true,
    rel_diff_pct: true,
    caught_by_cleanup_rule: true,
    stop_position_id: true,
    stop_created_at: true,
  },
  failureMode:
    "The save is an upsert whose conflict branch does not update entry_price, side or quantity, so a reopened symbol keeps the previous position's entry, and a restart restores that row as if it were current. The bot's own clean-up rule (|diff| > 0.00001) misses micro-priced symbols.",
  repair:
    '`ts-audit rescue --delete-stale` writes the DELETE of the row (review and apply it while the bot is stopped: the stop is recreated from the position at start), or rewrite entry_price, side and quantity from the open position.',
  evaluate: (rows) =>
    rows.map((r) => ({
      check: 'entry-price-mismatch',
      severity: 'high',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: r.position_id,
      message: `row entry ${decimalText(r.stop_entry_price)} but position entry ${decimalText(r.position_entry_price)}${r.caught_by_cleanup_rule ? '' : " (too small for the bot's own clean-up rule)"}`,
      evidence: {
        positionEntryPrice: decimalText(r.position_entry_price),
        stopEntryPrice: decimalText(r.stop_entry_price),
        absoluteDifference: decimalText(r.abs_diff),
        relativeDifferencePct: decimalText(r.rel_diff_pct),
        caughtByCleanupRule: r.caught_by_cleanup_rule,
        stopPositionId: r.stop_position_id === null ? null : Number(r.stop_position_id),
        stopCreatedAt: r.stop_created_at,
      },
    })),
  facts: (e) => (e.caughtByCleanupRule ? [] : ['escapes-cleanup-rule']),
  evidenceTable: {
    headers: ['Position entry', 'Row entry', 'Difference', 'Relative', "Bot's clean-up rule catches it"],
    cells: (e) => [
      e.positionEntryPrice ?? '',
      e.stopEntryPrice ?? '',
      e.absoluteDifference ?? '',
      `${e.relativeDifferencePct ?? '-'}%`,
      e.caughtByCleanupRule ? 'yes' : { strong: 'no' },
    ],
  },
};
export default entryPriceMismatch;
