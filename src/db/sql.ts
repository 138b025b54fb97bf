// Renders a query file into the SQL that runs:
//   {{positions: id, symbol, opened_at}}  ->  (SELECT id, symbol, (opened_at AT TIME ZONE $1) AS opened_at
//                                              FROM "monitoring"."positions")
// Naive `timestamp` columns are interpreted in SQL in the zone the bot wrote them in; `timestamptz`
// columns pass through; an optional column the database lacks reads as NULL of its type. `:name` parameters become $1..$n in order of first use, so only the values a
// query uses are bound. Identifiers are quoted; values are never spliced into the text.
import type { Catalog } from './catalog.js';
import { codeLines } from './queries.js';
import { type LogicalTable, type TableRef, isLogicalTable, optionalColumnType, quoteIdent } from './tables.js';

export type { TableRef } from './tables.js';

export interface RenderedQuery {
  text: string;
  values: unknown[];
  /** Parameter names in $n order. */
  names: string[];
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*:\s*([a-z_!,\s]+?)\s*\}\}/g;
// {{zoned orders.created_at: min(r.created_at)}}: an expression over a column left raw (`created_at!`)
// read in the bot's zone when the column is naive: the zone is converted once, on the aggregate, not
// per row. {{naive orders.created_at: :as_of}}: a timestamptz value as that column stores it, so a
// filter on the raw column stays sargable.
const ZONE_MACRO = /\{\{\s*(zoned|naive)\s+([a-z_]+)\.([a-z_]+)\s*:\s*(.+?)\s*\}\}/g;
// {{dedupe open positions: DISTINCT ON (...)}}: text that keeps one open position per (symbol,
// exchange), left out when the catalog proves the database keeps them unique (the bot's partial unique
// index over the open statuses, see Catalog.openPositionsUnique) and no :as_of brings ended positions in.
export const DEDUPE_MACRO = '{{dedupe open positions:';
const DEDUPE = /\{\{dedupe open positions:\s*(.+?)\s*\}\}/g;
// Strings, quoted identifiers, comments and casts are matched first so that only real :params are replaced.
const TOKENS = /('(?:[^']|'')*')|("(?:[^"]|"")*")|(--[^\n]*)|(::)|:([a-z_][a-z0-9_]*)/g;

/** The tables and columns a query file refers to. */
export function tableRefs(source: string): TableRef[] {
  const refs: TableRef[] = [];
  for (const m of source
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n')
    .matchAll(PLACEHOLDER)) {
    const table = m[1] ?? '';
    if (!isLogicalTable(table)) throw new Error(`unknown table placeholder {{${table}}}`);
    refs.push({
      table,
      columns: (m[2] ?? '')
        .split(',')
        .map((c) => c.trim().replace(/!$/, ''))
        .filter(Boolean),
    });
  }
  return refs;
}

export function render(source: string, catalog: Catalog, params: Record<string, unknown>): RenderedQuery {
  const expanded = codeLines(source, (line) =>
    line
      .replace(PLACEHOLDER, (_all, table: string, columnList: string) => {
        const logical = table as LogicalTable;
        const columns = columnList
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean);
        const select = columns.map((entry) => {
          // `column!` is passed raw: the query converts its zone itself, once (see ZONE_MACRO).
          const raw = entry.endsWith('!');
          const column = raw ? entry.slice(0, -1) : entry;
          const q = quoteIdent(column);
          if (raw) return q;
          const optional = optionalColumnType(logical, column);
          if (optional && !catalog.has(logical, column)) return `NULL::${optional} AS ${q}`;
          return catalog.isNaiveTimestamp(logical, column) ? `(${q} AT TIME ZONE :zone) AS ${q}` : q;
        });
        return `(SELECT ${select.join(', ')} FROM ${catalog.qualifiedName(logical)})`;
      })
      .replace(DEDUPE, (_all, text: string) => {
        const unique = params.as_of == null && Array.isArray(params.open_statuses) && catalog.openPositionsUnique(params.open_statuses as string[]);
        return unique ? '' : text;
      })
      .replace(ZONE_MACRO, (_all, kind: string, table: string, column: string, expr: string) => {
        if (!isLogicalTable(table)) throw new Error(`unknown table in {{${kind} ${table}.${column}}}`);
        if (!catalog.isNaiveTimestamp(table, column)) return `(${expr})`;
        return `((${expr}) AT TIME ZONE :zone)`;
      }),
  );

  const names: string[] = [];
  const text = expanded.replace(TOKENS, (all, _str, _ident, _comment, _cast, name: string | undefined) => {
    if (name === undefined) return all;
    if (!(name in params)) throw new Error(`query parameter :${name} has no value`);
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, values: names.map((n) => params[n]), names };
}
