// What the connected database actually has: each column's type, so that naive `timestamp` columns are
// interpreted in the bot's zone and prices are compared at their column's scale. Missing pieces are
// reported together, naming what was expected.
import { DatabaseError } from '../errors.js';
import { type LogicalTable, OPTIONAL_TABLES, type TableNames, type TableRef, optionalColumnType, quoteIdent } from './tables.js';

export interface ColumnInfo {
  /** format_type's text, for display only: types are told apart by OID in the query. */
  dataType: string;
  naiveTimestamp: boolean;
  /** Digits after the point for numeric(p, s); null for an unconstrained numeric or a non-numeric column. */
  scale: number | null;
}

export interface CatalogRow {
  table_name: string;
  column_name: string;
  data_type: string;
  naive_timestamp: boolean;
  numeric_scale: number | null;
  can_select: boolean;
}

/** A valid unique index of the positions table, on plain columns (queries/unique-keys.sql). */
export interface UniqueKeyRow {
  index_name: string;
  key_columns: string[];
  keys_not_null: boolean;
  predicate: string | null;
}

export class Catalog {
  constructor(
    readonly schema: string,
    readonly names: TableNames,
    private readonly columns: Map<string, Map<string, ColumnInfo>>,
    private readonly uniqueKeys: UniqueKeyRow[] = [],
  ) {}

  static fromRows(schema: string, names: TableNames, rows: CatalogRow[], uniqueKeys: UniqueKeyRow[] = []): Catalog {
    const columns = new Map<string, Map<string, ColumnInfo>>();
    for (const row of rows) {
      let table = columns.get(row.table_name);
      if (!table) columns.set(row.table_name, (table = new Map()));
      table.set(row.column_name, { dataType: row.data_type, naiveTimestamp: row.naive_timestamp, scale: row.numeric_scale });
    }
    return new Catalog(schema, names, columns, uniqueKeys);
  }

  /**
   * Whether the database itself guarantees at most one position per (symbol, exchange) among those
   * whose status is one of `openStatuses`: a valid unique index keyed on NOT NULL columns among symbol
   * and exchange, over the whole table or with a predicate every one of those statuses satisfies.
   * False whenever that cannot be proven (no such index, or a predicate of another shape).
   */
  openPositionsUnique(openStatuses: readonly string[]): boolean {
    return this.uniqueKeys.some((k) => {
      if (!k.keys_not_null || k.key_columns.length === 0 || !k.key_columns.every((c) => c === 'symbol' || c === 'exchange')) return false;
      if (k.predicate === null) return true;
      const accepted = statusesOfPredicate(k.predicate);
      return accepted !== undefined && openStatuses.every((s) => accepted.has(s));
    });
  }

  qualifiedName(table: LogicalTable): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(this.names[table])}`;
  }

  column(table: LogicalTable, column: string): ColumnInfo | undefined {
    return this.columns.get(this.names[table])?.get(column);
  }

  isNaiveTimestamp(table: LogicalTable, column: string): boolean {
    return this.column(table, column)?.naiveTimestamp ?? false;
  }

  /** Whether the catalog read the table (false for an optional table the database lacks). */
  hasTable(table: LogicalTable): boolean {
    return this.columns.has(this.names[table]);
  }

  /** Whether the table has the column; a table the catalog did not read (no database) is assumed whole. */
  has(table: LogicalTable, column: string): boolean {
    const columns = this.columns.get(this.names[table]);
    return columns === undefined || columns.has(column);
  }

  scale(table: LogicalTable, column: string): number | null {
    return this.column(table, column)?.scale ?? null;
  }

  /** Columns of the bot's tables stored as naive `timestamp`, as `table.column`. */
  naiveColumns(refs: TableRef[]): string[] {
    const out = new Set<string>();
    for (const ref of refs) {
      for (const c of ref.columns) if (this.isNaiveTimestamp(ref.table, c)) out.add(`${this.names[ref.table]}.${c}`);
    }
    return [...out].sort();
  }

  /** Throws one DatabaseError naming every missing table and column the given queries need. */
  requireAll(refs: TableRef[], unreadable: Set<string>): void {
    const problems: string[] = [];
    const wanted = new Map<LogicalTable, Set<string>>();
    for (const ref of refs) {
      const set = wanted.get(ref.table) ?? new Set<string>();
      ref.columns.forEach((c) => set.add(c));
      wanted.set(ref.table, set);
    }
    for (const [table, cols] of wanted) {
      const name = `${this.schema}.${this.names[table]}`;
      const have = this.columns.get(this.names[table]);
      if (!have && OPTIONAL_TABLES.includes(table)) continue;
      if (!have) {
        problems.push(`table ${name} not found (expected the bot's ${table} table)`);
        continue;
      }
      if (unreadable.has(this.names[table])) problems.push(`no SELECT privilege on ${name}`);
      const missing = [...cols].filter((c) => !have.has(c) && optionalColumnType(table, c) === undefined);
      if (missing.length > 0) {
        problems.push(`${name} lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected: ${[...cols].join(', ')})`);
      }
    }
    if (problems.length > 0) throw new DatabaseError(problems.join('; '));
  }
}

// The shapes pg_get_expr gives a predicate on the status column: `status = 'a'`, `status IN ('a', 'b')`
// (shown as `= ANY (ARRAY[...])`), with or without the casts a varchar column adds, joined by OR.
const STATUS_REF = String.raw`(?:\(status\)::(?:text|character varying)|(?<![\w".])status(?![\w"]))`;
const LITERAL = String.raw`'(?:[^']|'')*'(?:::(?:text|character varying))?`;
const LITERALS = String.raw`${LITERAL}(?:, ${LITERAL})*`;
const STATUS_ATOM = new RegExp(
  String.raw`${STATUS_REF} = (?:ANY \((?:\(ARRAY\[(${LITERALS})\]\)::(?:text|character varying)\[\]|ARRAY\[(${LITERALS})\])\)|(${LITERAL}))`,
  'g',
);
const LITERAL_VALUE = /'((?:[^']|'')*)'/g;

/**
 * The statuses a partial index's predicate accepts, when the predicate is nothing but equalities of
 * the status column with string literals, joined by OR; undefined for any other predicate (AND, NOT,
 * <>, other columns, functions), which then proves nothing.
 */
export function statusesOfPredicate(predicate: string): Set<string> | undefined {
  const accepted = new Set<string>();
  let rest = predicate.replace(STATUS_ATOM, (_all, castList: string | undefined, list: string | undefined, single: string | undefined) => {
    for (const m of (castList ?? list ?? single ?? '').matchAll(LITERAL_VALUE)) accepted.add((m[1] ?? '').replaceAll("''", "'"));
    return '\u0000';
  });
  for (let before = ''; before !== rest;) {
    before = rest;
    // eslint-disable-next-line no-control-regex -- NUL stands for each cut-out literal: it cannot occur in SQL text
    rest = rest.replace(/\(\u0000\)/g, '\u0000').replace(/\u0000 OR \u0000/g, '\u0000');
  }
  return rest === '\u0000' ? accepted : undefined;
}
