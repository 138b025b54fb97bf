// The three orphan checks of `ts-audit orphans`: rows without an open position, rows linked to the
// wrong position, open positions without a row.
import type { DbCheck } from './types.js';

interface OrphanRow {
  stop_id: string;
  exchange: string;
  symbol: string;
  stop_position_id: string | null;
  state: string;
  stop_created_at: Date;
  last_update_time: Date | null;
  last_position_id: number | null;
  last_position_status: string | null;
  last_position_closed_at: Date | null;
  last_position_exit_reason: string | null;
}

export const orphanedStop: DbCheck<OrphanRow> = {
  id: 'orphaned-stop',
  severities: ['medium'],
  summary: 'A stop row whose (exchange, symbol) has no open position: left behind when its position ended.',
  query: 'orphaned-stop',
  failureMode:
    'Some close paths (phantom clean-up on load, emergency close) skip the delete, leaving rows for ended positions (29 after one clean-up). If the symbol is reopened, the stale row is restored as if current.',
  repair: "Delete rows whose last position has ended (the bot's orphan clean-up does this but nothing calls it); make every close path delete its row.",
  evaluate: (rows) =>
    rows.map((r) => ({
      check: 'orphaned-stop',
      severity: 'medium',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: null,
      message: r.last_position_status
        ? `row for a symbol with no open position (last position #${r.last_position_id} ${r.last_position_status})`
        : 'row for a symbol that has no position at all',
      evidence: {
        stopPositionId: r.stop_position_id === null ? null : Number(r.stop_position_id),
        state: r.state,
        stopCreatedAt: r.stop_created_at,
        lastUpdateTime: r.last_update_time,
        lastPosition: r.last_position_id === null
          ? null
          : { id: r.last_position_id, status: r.last_position_status, closedAt: r.last_position_closed_at, exitReason: r.last_position_exit_reason },
      },
    })),
};

interface LinkRow {
  position_id: number;
  exchange: string;
  symbol: string;
  stop_position_id: string | null;
  stop_created_at: Date;
  opened_at: Date | null;
}

export const stalePositionLink: DbCheck<LinkRow> = {
  id: 'stale-position-link',
  severities: ['medium'],
  summary: "A stop row's position_id is not its open position's id: it was written for an earlier position.",
  query: 'stale-position-link',
  failureMode:
    'A symbol closed and reopened can keep the previous position\'s row (the delete on close was skipped). The bot never compares position_id on restore, so the old peak, stop and entry come back.',
  repair: 'Check the row against the open position (see entry-price-mismatch); delete it while the bot is stopped if it is the old one.',
  evaluate: (rows) =>
    rows.map((r) => ({
      check: 'stale-position-link',
      severity: 'medium',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: r.position_id,
      message: r.stop_position_id === null ? 'row has no position_id' : `row points at position #${r.stop_position_id}, the open position is #${r.position_id}`,
      evidence: {
        stopPositionId: r.stop_position_id === null ? null : Number(r.stop_position_id),
        openPositionId: r.position_id,
        stopCreatedAt: r.stop_created_at,
        positionOpenedAt: r.opened_at,
      },
    })),
};

interface UnprotectedRow {
  position_id: number;
  exchange: string;
  symbol: string;
  opened_at: Date | null;
  has_trailing_stop: boolean | null;
}

export const unprotectedPosition: DbCheck<UnprotectedRow> = {
  id: 'unprotected-position',
  severities: ['high'],
  summary: 'An open position with no stop row: a restart creates its stop from scratch.',
  query: 'unprotected-position',
  failureMode:
    'The 2025-10-26 incident: saves failed silently while the stops lived in memory, so 13 of 14 open positions had no row and lost their peaks and activations at the restart.',
  repair: 'Run `ts-audit diff` with a state dump to see whether memory holds a stop; if so, fix persistence and let the bot save it before restarting.',
  evaluate: (rows, ctx) =>
    rows.map((r) => {
      const ageSeconds = r.opened_at ? Math.round((ctx.now.getTime() - r.opened_at.getTime()) / 1000) : null;
      return {
        check: 'unprotected-position',
        severity: 'high',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message: `open position has no stop row${r.has_trailing_stop ? ' although has_trailing_stop says it has one' : ''}`,
        evidence: { hasTrailingStop: r.has_trailing_stop, positionOpenedAt: r.opened_at, ageSeconds },
      };
    }),
};
