// Row shapes the queries return (node-postgres gives numeric and int8 as strings, timestamptz as Date).

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
}

/** A row counts as activated when its state is `active`: that is what a restart restores. */
export function rowActivated(row: StopRow): boolean {
  return row.state.trim().toLowerCase() === 'active';
}
