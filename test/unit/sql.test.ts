import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/db/catalog.js';
import { render, tableRefs } from '../../src/db/sql.js';
import { DEFAULT_TABLE_NAMES } from '../../src/db/tables.js';

const row = (table_name: string, column_name: string, data_type: string) => ({
  table_name,
  column_name,
  data_type,
  naive_timestamp: data_type.startsWith('timestamp') && data_type.endsWith('without time zone'),
  numeric_scale: null,
  can_select: true,
});
const catalog = Catalog.fromRows('bot "x"', { ...DEFAULT_TABLE_NAMES, positions: 'pos' }, [
  row('pos', 'id', 'integer'),
  row('pos', 'opened_at', 'timestamp without time zone'),
  row('trailing_stop_state', 'created_at', 'timestamp with time zone'),
]);

describe('render', () => {
  it('quotes configured identifiers and reads naive columns in the bot zone', () => {
    const q = render('SELECT p.id FROM {{positions: id, opened_at}} p WHERE p.id = ANY(:ids::int[])', catalog, { ids: [1], zone: 'Europe/Moscow' });
    expect(q.text).toBe('SELECT p.id FROM (SELECT "id", ("opened_at" AT TIME ZONE $1) AS "opened_at" FROM "bot ""x"""."pos") p WHERE p.id = ANY($2::int[])');
    expect(q.values).toEqual(['Europe/Moscow', [1]]);
  });

  it('leaves timestamptz alone and binds only the parameters a query uses', () => {
    const q = render('SELECT * FROM {{trailing_stop_state: created_at}} s', catalog, { zone: 'Europe/Moscow', unused: 1 });
    expect(q.text).toBe('SELECT * FROM (SELECT "created_at" FROM "bot ""x"""."trailing_stop_state") s');
    expect(q.values).toEqual([]);
  });

  it('reads an optional column the database lacks as a typed NULL, and requires the others', () => {
    const q = render('SELECT * FROM {{positions: id, has_trailing_stop}} p', catalog, {});
    expect(q.text).toBe('SELECT * FROM (SELECT "id", NULL::boolean AS "has_trailing_stop" FROM "bot ""x"""."pos") p');
    expect(() => catalog.requireAll([{ table: 'positions', columns: ['id', 'has_trailing_stop'] }], new Set())).not.toThrow();
    expect(() => catalog.requireAll([{ table: 'positions', columns: ['id', 'symbol'] }], new Set())).toThrow(/lacks column symbol/);
  });

  it("converts the zone of a raw naive column once, on an expression, and a parameter to the column's naive form", () => {
    const q = render(
      'SELECT {{zoned positions.opened_at: min(p.opened_at)}} FROM {{positions: id, opened_at!}} p WHERE p.opened_at <= {{naive positions.opened_at: :t}}',
      catalog,
      { zone: 'Europe/Moscow', t: 'x' },
    );
    expect(q.text).toBe(
      'SELECT ((min(p.opened_at)) AT TIME ZONE $1) FROM (SELECT "id", "opened_at" FROM "bot ""x"""."pos") p WHERE p.opened_at <= (($2) AT TIME ZONE $1)',
    );
    const tz = render('SELECT {{zoned trailing_stop_state.created_at: max(s.created_at)}} FROM {{trailing_stop_state: created_at!}} s', catalog, {
      zone: 'UTC',
    });
    expect(tz.text).toBe('SELECT (max(s.created_at)) FROM (SELECT "created_at" FROM "bot ""x"""."trailing_stop_state") s');
    expect(tableRefs('SELECT 1 FROM {{positions: id, opened_at!}} p')).toEqual([{ table: 'positions', columns: ['id', 'opened_at'] }]);
  });

  it('does not mistake casts, strings or comments for parameters', () => {
    const q = render("-- uses :nothing\nSELECT ':not', x::text, :a, :a FROM t", catalog, { a: 5 });
    expect(q.text).toBe("-- uses :nothing\nSELECT ':not', x::text, $1, $1 FROM t");
    expect(q.values).toEqual([5]);
  });

  it('refuses an unknown parameter or table', () => {
    expect(() => render('SELECT :missing', catalog, {})).toThrow(/:missing has no value/);
    expect(() => tableRefs('SELECT * FROM {{accounts: id}}')).toThrow(/unknown table placeholder/);
  });
});
