// The bot's tables, by the name queries use for them. The real names are one mapping here
// (configurable in a later release); queries never spell a schema or table name themselves.

export const LOGICAL_TABLES = ['positions', 'trailing_stop_state', 'orders', 'events'] as const;
export type LogicalTable = (typeof LOGICAL_TABLES)[number];

export type TableNames = Record<LogicalTable, string>;

export const DEFAULT_SCHEMA = 'monitoring';

export const DEFAULT_TABLE_NAMES: TableNames = {
  positions: 'positions',
  trailing_stop_state: 'trailing_stop_state',
  orders: 'orders',
  events: 'events',
};

/** Statuses of a position that is open. */
export const DEFAULT_OPEN_STATUSES = ['active', 'pending_entry', 'entry_placed', 'pending_sl'];

/** Statuses of a position that has ended. */
export const DEFAULT_ENDED_STATUSES = ['closed', 'closed_by_sync', 'canceled', 'expired', 'failed', 'rolled_back'];

/**
 * Columns a database may lack (the incident-era migrations never add
 * positions.has_trailing_stop or has_stop_loss), with the type a missing one reads as: a query that
 * names one gets NULL of that type, and a check that needs one is skipped with the reason said.
 * Every other column a query names is required.
 */
export const OPTIONAL_COLUMNS: Partial<Record<LogicalTable, Record<string, string>>> = {
  positions: {
    has_trailing_stop: 'boolean',
    has_stop_loss: 'boolean',
    trailing_activated: 'boolean',
    closed_at: 'timestamptz',
    exit_reason: 'text',
  },
};

/** Tables a database may lack: the checks that read them are skipped, with the reason said. */
export const OPTIONAL_TABLES: readonly LogicalTable[] = ['events'];

export function optionalColumnType(table: LogicalTable, column: string): string | undefined {
  return OPTIONAL_COLUMNS[table]?.[column];
}

export function isLogicalTable(name: string): name is LogicalTable {
  return (LOGICAL_TABLES as readonly string[]).includes(name);
}

/** The tables and columns a query file refers to, by their placeholders. */
export interface TableRef {
  table: LogicalTable;
  columns: string[];
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
