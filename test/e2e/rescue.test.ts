// ts-audit rescue on real PostgreSQL: the script it writes, applied as psql would (one multi-statement
// query), makes a restart restore every stop; a row the bot changed after the snapshot is never
// overwritten (the script rolls back); ts-audit itself writes nothing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, INCIDENT_DUMP, createScenario, fixture, useScenario, withClient } from '../support/db.js';
import { expectOneLineError } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { stopsDump, writeDump } from '../support/dumps.js';
import { incident, requireBuild } from '../support/report.js';

requireBuild();

/** The script as psql runs it: one multi-statement query. */
const apply = (url: string, script: string) => withClient(url, async (c) => void (await c.query(script)));
const query = <T>(url: string, sql: string) => withClient(url, async (c) => (await c.query(sql)).rows as T[]);

describe('ts-audit rescue', () => {
  // One database per test: each applies scripts to its own.
  let a: ScenarioDb;
  let b: ScenarioDb;
  let c: ScenarioDb;
  beforeAll(async () => {
    [a, b, c] = await Promise.all([
      createScenario('naive', fixture('incident.sql')),
      createScenario('current', fixture('incident.sql')),
      createScenario('incident-era', fixture('incident.sql')),
    ]);
  });
  afterAll(async () => Promise.all([a?.drop(), b?.drop(), c?.drop()]));

  it('writes a script that makes a restart restore 14/14; applied, diff finds nothing at or above high; run again, it has nothing to do', async () => {
    const before = await query<{ n: string }>(a.url, 'SELECT count(*) AS n FROM monitoring.trailing_stop_state');
    const out = `${writeDump('')}.rescue.sql`;
    const r = await cli(['rescue', '--db', a.url, '--dump', INCIDENT_DUMP, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`ts-audit: rescue script (13 statements) written to ${out}\n`);
    // ts-audit wrote nothing.
    expect(await query<{ n: string }>(a.url, 'SELECT count(*) AS n FROM monitoring.trailing_stop_state')).toEqual(before);
    const script = readFileSync(out, 'utf8');
    expect(script).toMatch(/^-- ts-audit rescue script, written by ts-audit [\d.]+ at /);
    expect(script).toContain(`postgresql://postgres:***@`);
    expect(script).not.toContain(new URL(a.url).password);
    expect(script).toContain('-- It will: insert 13 rows, bring 0 rows up to memory, correct the side of 0 rows, delete 0 rows.');
    expect(script).toMatch(/BEGIN;\nSET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '60s';/);
    expect(script).toMatch(
      /-- \d+\. insert binance\/SUIUSDT \(position #\d+\): repairs missing-in-db\.\n-- {4}Otherwise: a restart creates a new stop for position #\d+: its activation and its peak 2\.6102 and 23 updates are lost\./,
    );
    expect(script.match(/ON CONFLICT \(symbol, exchange\) DO NOTHING;/g)).toHaveLength(13);
    expect(script.trimEnd().endsWith('COMMIT;')).toBe(true);

    await apply(a.url, script);
    const restore = JSON.parse((await cli(['restore', '--db', a.url, '--format', 'json'])).stdout);
    expect(restore.summary.restart).toMatchObject({ restored: 14, openPositions: 14 });
    const diff = await cli(['diff', '--db', a.url, '--dump', INCIDENT_DUMP, '--format', 'json', '--fail-on', 'high']);
    expect(diff.code).toBe(0);
    // The rows hold what memory held, the untracked side with the bot's sentinel.
    const [sui] = await query<Record<string, string>>(
      a.url,
      "SELECT state, is_activated::text, side, highest_price::text, lowest_price::text, update_count::text FROM monitoring.trailing_stop_state WHERE symbol = 'SUIUSDT'",
    );
    const memory = incident.stops.find((s) => s.symbol === 'SUIUSDT') as Record<string, unknown>;
    expect(sui).toEqual({
      state: 'active',
      is_activated: 'true',
      side: 'long',
      highest_price: `${memory.highest_price}`.padEnd(10, '0'),
      lowest_price: '999999.00000000',
      update_count: '23',
    });
    const again = await cli(['rescue', '--db', a.url, '--dump', INCIDENT_DUMP]);
    expect(again.stdout).toContain('-- It will: insert 0 rows, bring 0 rows up to memory');
    expect(again.stdout).not.toMatch(/^(INSERT|UPDATE|DELETE)/m);
  });

  it('brings a lagging row up to memory, and never overwrites a row the bot changed after the snapshot (everything rolls back)', async () => {
    // Memory is 4 updates ahead of DOGUSDT's row, with a higher peak.
    const dog = {
      ...(incident.stops.find((s) => s.symbol === 'DOGUSDT') as object),
      update_count: 45,
      highest_price: '0.00151000',
      current_stop_price: '0.00149800',
    };
    const dump = stopsDump([dog, ...incident.stops.filter((s) => s.symbol === 'RADUSDT')], incident.dumpedAt);
    const r = await cli(['rescue', '--db', b.url, '--dump', dump, '--symbol', 'DOGUSDT,RADUSDT', '--format', 'json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.statements.map((s: { kind: string; symbol: string }) => `${s.kind} ${s.symbol}`)).toEqual(['update DOGUSDT', 'insert RADUSDT']);
    const sql = (await cli(['rescue', '--db', b.url, '--dump', dump, '--symbol', 'DOGUSDT,RADUSDT'])).stdout;
    expect(sql).toMatch(
      /UPDATE "monitoring"\."trailing_stop_state"\nSET highest_price = E'0\.00151'::pg_catalog\.numeric, current_stop_price = E'0\.001498'::pg_catalog\.numeric, .*update_count = 45.*\nWHERE id = \d+ AND state = E'active' AND side = E'long' AND update_count IS NOT DISTINCT FROM 41 AND highest_price = E'0\.00149200'::pg_catalog\.numeric/,
    );

    // The bot saves DOGUSDT once more after the snapshot: the script must not overwrite it.
    await b.exec("UPDATE monitoring.trailing_stop_state SET update_count = 42, highest_price = 0.00150000 WHERE symbol = 'DOGUSDT'");
    await expect(apply(b.url, sql)).rejects.toThrow(
      /ts-audit rescue: not as predicted for binance\/DOGUSDT; the table changed since the snapshot: nothing was applied/,
    );
    const rows = await query<Record<string, string>>(
      b.url,
      "SELECT symbol, update_count::text, highest_price::text FROM monitoring.trailing_stop_state WHERE symbol IN ('DOGUSDT', 'RADUSDT') ORDER BY symbol",
    );
    expect(rows).toEqual([{ symbol: 'DOGUSDT', update_count: '42', highest_price: '0.00150000' }]); // RADUSDT's insert rolled back too

    // Rescued again from the new state, it applies.
    await apply(b.url, (await cli(['rescue', '--db', b.url, '--dump', dump, '--symbol', 'DOGUSDT,RADUSDT'])).stdout);
    const after = await query<Record<string, string>>(
      b.url,
      "SELECT symbol, update_count::text, highest_price::text FROM monitoring.trailing_stop_state WHERE symbol IN ('DOGUSDT', 'RADUSDT') ORDER BY symbol",
    );
    expect(after).toEqual([
      { symbol: 'DOGUSDT', update_count: '45', highest_price: '0.00151000' },
      { symbol: 'RADUSDT', update_count: '7', highest_price: '0.61980000' },
    ]);
  });

  it('leaves out what it cannot write exactly (a get_status() dump has no peak), saying why on stderr and in the script', async () => {
    const dump = writeDump({
      active_stops: 1,
      stops: {
        SUIUSDT: {
          symbol: 'SUIUSDT',
          state: 'active',
          entry_price: 2.5431,
          current_price: 2.6,
          stop_price: 2.59,
          profit_percent: 2,
          highest_profit: 2.6,
          updates: 23,
        },
      },
    });
    const r = await cli(['rescue', '--db', c.url, '--dump', dump, '--exchange', 'binance', '--symbol', 'SUIUSDT']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('ts-audit: left out binance/SUIUSDT: memory does not say its highest price (peak): a peak is never invented');
    expect(r.stdout).toContain('--   binance/SUIUSDT: memory does not say its highest price (peak): a peak is never invented');
  });

  it('--delete-stale deletes, guarded, the rows of no open position, in (exchange, symbol) order; without it they are only named', async () => {
    // Three more rows of no position, stored out of order: the script must not follow the table's.
    const d = await createScenario(
      'tz',
      fixture('failure-modes.sql'),
      "INSERT INTO monitoring.trailing_stop_state (symbol, exchange, entry_price, quantity, side) VALUES ('ZZGONEUSDT', 'bybit', 1, 1, 'long'), ('AAGONEUSDT', 'bybit', 1, 1, 'long'), ('MMGONEUSDT', 'binance', 1, 1, 'long');",
    );
    try {
      const orphansBefore = JSON.parse((await cli(['orphans', '--db', d.url, '--format', 'json', '--fail-on', 'none'])).stdout).findings.filter(
        (f: { check: string }) => f.check === 'orphaned-stop',
      );
      expect(orphansBefore.length).toBeGreaterThan(0);
      const without = await cli(['rescue', '--db', d.url, '--dump', stopsDump([])]);
      expect(without.stdout).not.toMatch(/^DELETE/m);
      expect(without.stdout).toMatch(/belongs to no open position \(--delete-stale deletes it\)/);
      const plan = JSON.parse((await cli(['rescue', '--db', d.url, '--dump', stopsDump([]), '--delete-stale', '--format', 'json'])).stdout);
      const deletes = plan.statements.filter((x: { kind: string; finding: string }) => x.kind === 'delete' && x.finding === 'orphaned-stop');
      expect(deletes).toHaveLength(orphansBefore.length);
      const order = plan.statements
        .filter((x: { kind: string }) => x.kind === 'delete')
        .map((x: { exchange: string; symbol: string }) => `${x.exchange}/${x.symbol}`);
      expect(order).toEqual([...order].sort());
      expect(order).toEqual(expect.arrayContaining(['binance/MMGONEUSDT', 'bybit/AAGONEUSDT', 'bybit/ZZGONEUSDT']));
      for (const x of deletes) expect(x.sql).toMatch(/^DELETE FROM "monitoring"\."trailing_stop_state"\nWHERE id = \d+ AND state = /);
      await apply(d.url, (await cli(['rescue', '--db', d.url, '--dump', stopsDump([]), '--delete-stale'])).stdout);
      const orphansAfter = JSON.parse((await cli(['orphans', '--db', d.url, '--format', 'json', '--fail-on', 'none'])).stdout).findings.filter(
        (f: { check: string }) => f.check === 'orphaned-stop',
      );
      expect(orphansAfter).toEqual([]);
    } finally {
      await d.drop();
    }
  });

  it('needs a memory side', async () => {
    expectOneLineError(await cli(['rescue', '--db', c.url]), 2, /no memory side: give --dump/);
  });
});

describe('ts-audit rescue --from-events', () => {
  const db = useScenario('current', fixture('journal.sql'));

  it('reads memory from the journal, and leaves out the stops whose peak the journal does not hold, saying so', async () => {
    // The saves of two stops created since the last restart failed: the journal has them, the table not.
    await db.exec("DELETE FROM monitoring.trailing_stop_state WHERE symbol IN ('CUSDT', 'DUSDT')");
    const before = await cli(['diff', '--db', db.url, '--from-events', '--format', 'json', '--fail-on', 'none']);
    const missing = JSON.parse(before.stdout).findings.filter((f: { check: string }) => f.check === 'missing-in-db');
    expect(missing.map((f: { symbol: string }) => f.symbol).sort()).toEqual(['CUSDT', 'DUSDT']);
    const r = await cli(['rescue', '--db', db.url, '--from-events']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-- Memory: monitoring\.events, replayed from /m);
    // Their trailing_stop_created events carry no peak, and no update followed: nothing to write exactly.
    expect(r.stderr).toContain('ts-audit: left out binance/CUSDT: memory does not say its highest price (peak): a peak is never invented');
    expect(r.stderr).toContain('ts-audit: left out binance/DUSDT: memory does not say its lowest price (peak): a peak is never invented');
    expect(r.stdout).toContain('-- Left out (2):');
    expect(r.stdout).not.toMatch(/^INSERT/m);
    // The script still runs (and changes nothing).
    await apply(db.url, r.stdout);
  });
});
