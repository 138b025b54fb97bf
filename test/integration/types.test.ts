// ts-audit's own column parsers (src/db/types.ts) against the default ones, on what a real server
// writes: the same values, whatever the text.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { typeParsers } from '../../src/db/types.js';
import { adminUrl } from '../support/db.js';

const SQL = `SELECT ARRAY['has-trailing-stop-false', 'trailing-activated-mismatch'] AS plain,
                    ARRAY['a b', '', 'NULL', 'null', 'x,y', 'q"q', 'b\\\\s', '{}', NULL, 'Ä'] AS quoted,
                    ARRAY[]::text[] AS empty, NULL::text[] AS missing, ARRAY[['a', 'b'], ['c', NULL]] AS nested,
                    '[0:1]={x,y}'::text[] AS bounded,
                    '2025-10-26 12:05:14.123456+03'::timestamptz AS at, 'infinity'::timestamptz AS never,
                    9223372036854775807::int8 AS big, (-42)::int8 AS negative, 0::int8 AS zero, NULL::int8 AS none,
                    (SELECT count(*) FROM generate_series(1, 3)) AS counted`;

async function read(types?: ReturnType<typeof typeParsers>) {
  const client = new pg.Client({ connectionString: adminUrl(), ...(types ? { types } : {}) });
  await client.connect();
  try {
    return (await client.query(SQL)).rows[0];
  } finally {
    await client.end();
  }
}

describe("ts-audit's column parsers", () => {
  it('read text[], timestamptz and int8 as the default parsers do', async () => {
    const [ours, theirs] = await Promise.all([read(typeParsers(pg)), read()]);
    expect(ours).toEqual(theirs);
    expect(ours.plain).toEqual(['has-trailing-stop-false', 'trailing-activated-mismatch']);
    expect(ours.quoted).toEqual(['a b', '', 'NULL', 'null', 'x,y', 'q"q', 'b\\\\s', '{}', null, 'Ä']);
    expect([ours.big, ours.negative, ours.zero, ours.none, ours.counted]).toEqual(['9223372036854775807', '-42', '0', null, '3']);
  });
});
