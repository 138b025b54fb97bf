import { describe, expect, it } from 'vitest';
import { Catalog, type UniqueKeyRow, statusesOfPredicate } from '../../src/db/catalog.js';
import { DEFAULT_OPEN_STATUSES, DEFAULT_TABLE_NAMES } from '../../src/db/tables.js';

// Predicates as PostgreSQL 15's pg_get_expr prints them (read off a server for each CREATE INDEX ... WHERE).
const BOT_INDEX =
  "((status)::text = ANY ((ARRAY['active'::character varying, 'pending_entry'::character varying, 'entry_placed'::character varying, 'pending_sl'::character varying])::text[]))";

describe('statusesOfPredicate', () => {
  it.each([
    [BOT_INDEX, ['active', 'pending_entry', 'entry_placed', 'pending_sl']],
    ["((status)::text = 'active'::text)", ['active']],
    ["(((status)::text = 'active'::text) OR ((status)::text = 'pending_sl'::text))", ['active', 'pending_sl']],
    ["(((status)::text = 'a'::text) OR ((status)::text = 'b'::text) OR ((status)::text = 'c'::text))", ['a', 'b', 'c']],
    ["(status = ANY (ARRAY['active'::text, 'x''y'::text]))", ['active', "x'y"]],
    ["(status = 'active'::text)", ['active']],
    ["((status)::text = ANY (ARRAY['active'::text, 'b'::text]))", ['active', 'b']],
    ["((status)::text = ANY ((ARRAY['Active'::character varying, 'ac''ti,ve'::character varying])::text[]))", ['Active', "ac'ti,ve"]],
  ])('reads the statuses of %s', (predicate, statuses) => {
    expect([...(statusesOfPredicate(predicate) ?? ['unparsed'])].sort()).toEqual([...statuses].sort());
  });

  it.each([
    "(((status)::text = 'active'::text) AND (note IS NULL))", // narrower than its statuses
    "(NOT ((status)::text = 'closed'::text))",
    "((status)::text <> 'closed'::text)",
    "((status)::text = ANY ('{active,pending}'::text[]))", // an array literal: not parsed, so not trusted
    "(st = 'active'::text)", // another column
    "(lower((status)::text) = 'active'::text)",
    "((xstatus)::text = 'active'::text)",
    "(note = 'status = ''active''::text'::text)", // the words inside a string
    "((status)::text = 'active'::text) OR (note IS NULL)",
    '',
  ])('proves nothing from %s', (predicate) => {
    expect(statusesOfPredicate(predicate)).toBeUndefined();
  });
});

describe('Catalog.openPositionsUnique', () => {
  const key = (k: Partial<UniqueKeyRow>): UniqueKeyRow => ({
    index_name: 'i',
    key_columns: ['symbol', 'exchange'],
    keys_not_null: true,
    predicate: BOT_INDEX,
    ...k,
  });
  const unique = (keys: UniqueKeyRow[], statuses = DEFAULT_OPEN_STATUSES) =>
    Catalog.fromRows('monitoring', DEFAULT_TABLE_NAMES, [], keys).openPositionsUnique(statuses);

  it("trusts the bot's partial index for its open statuses, or a whole-table unique key", () => {
    expect(unique([key({})])).toBe(true);
    expect(unique([key({ predicate: null })])).toBe(true);
    expect(
      unique([
        key({
          key_columns: ['symbol'],
          predicate:
            "((status)::text = ANY ((ARRAY['active'::character varying, 'pending_entry'::character varying, 'entry_placed'::character varying, 'pending_sl'::character varying, 'other'::character varying])::text[]))",
        }),
      ]),
    ).toBe(true);
  });

  it('proves nothing without such an index, or from one that leaves an open status out, another key or a nullable key', () => {
    expect(unique([])).toBe(false);
    expect(unique([key({})], [...DEFAULT_OPEN_STATUSES, 'reopening'])).toBe(false);
    expect(unique([key({ predicate: "((status)::text = 'active'::text)" })])).toBe(false);
    expect(unique([key({ key_columns: ['id'], predicate: null })])).toBe(false);
    expect(unique([key({ key_columns: ['symbol', 'exchange', 'side'] })])).toBe(false);
    expect(unique([key({ keys_not_null: false })])).toBe(false);
    expect(unique([key({ predicate: "(((status)::text = 'active'::text) AND (note IS NULL))" })])).toBe(false);
  });
});
