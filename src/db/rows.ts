// Row shapes the queries return (node-postgres gives numeric and int8 as strings, timestamptz as Date).

/**
 * The result columns of a query that a row type holds, each once: `{ id: true, symbol: true }` for
 * `{ id: number; symbol: string }` (a column the list lacks, or one Row has not, fails to compile).
 */
export type ColumnList<Row> = { readonly [K in keyof Row]-?: true };

export interface OpenPositionRow {
  id: number;
  exchange: string;
  symbol: string;
  side: string;
  entry_price: string;
  has_trailing_stop: boolean | null;
  opened_at: Date | null;
}

export interface StopRow {
  id: string;
  exchange: string;
  symbol: string;
  position_id: string | null;
  state: string;
  is_activated: boolean;
  side: string;
  entry_price: string;
  highest_price: string | null;
  lowest_price: string | null;
  current_stop_price: string | null;
  activation_price: string | null;
  quantity: string;
  update_count: number | null;
  created_at: Date;
  last_update_time: Date | null;
  /** Kept from the first activation (stop-rows reads it; other queries may not). */
  activated_at?: Date | null;
}

/** A row counts as activated when its state is `active`: that is what a restart restores. */
export function rowActivated(row: StopRow): boolean {
  return row.state.trim().toLowerCase() === 'active';
}

/** diff-summary: the open positions, the stop rows and the restore simulation, counted (bigint as text). */
export interface DiffSummaryRow {
  open_positions: string;
  stops_in_db: string;
  restored: string;
}

/** The restore command's rows (queries/restore.sql): what a restart would do with each open position's stop. */
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

/** The columns of RestoreRow, as its query returns them. */
export const RESTORE_COLUMNS: ColumnList<RestoreRow> = {
  position_id: true,
  exchange: true,
  symbol: true,
  outcome: true,
  reason: true,
  restored_state: true,
  stop_position_id: true,
  position_entry_price: true,
  stop_entry_price: true,
  entry_mismatch: true,
  stale_link: true,
  position_side: true,
  stop_side: true,
};

/** The timestamps command's rows: each open position's opening against its row's creation. */
export interface TimestampRow {
  position_id: number;
  exchange: string;
  symbol: string;
  opened_at: Date | null;
  stop_created_at: Date | null;
  lag_seconds: string | null;
  late: boolean;
}

/** The columns of TimestampRow, as its query returns them. */
export const TIMESTAMP_COLUMNS: ColumnList<TimestampRow> = {
  position_id: true,
  exchange: true,
  symbol: true,
  opened_at: true,
  stop_created_at: true,
  lag_seconds: true,
  late: true,
};
