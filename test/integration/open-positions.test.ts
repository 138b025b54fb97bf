// One open position per (symbol, exchange): where the catalog shows the bot's partial unique index
// over the open statuses, open-positions trusts it and skips its DISTINCT ON; everywhere else it keeps
// the newest open position of each pair itself. Both paths must give the same answers.
import { describe, expect, it } from 'vitest';
import { runDbCommand } from '../../src/commands/db-commands.js';
import { showQuery } from '../../src/commands/queries.js';
import { DEFAULT_OPEN_STATUSES } from '../../src/db/tables.js';
import { useScenario } from '../support/db.js';
import { auditOptions, fixedNow } from '../support/options.js';

const POSITIONS = `
INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at, has_trailing_stop, trailing_activated) VALUES
  (1, 'ONEUSDT', 'binance', 'long', 10, 1.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00', true, false),
  (2, 'TWOUSDT', 'binance', 'long', 10, 2.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00', true, false);`;
// Two open rows of one pair, the newer (id 4) opened at 12:00: what the bot's index forbids, and what
// a database without it, or with statuses the index does not cover, can hold.
const DUPLICATE = (newerStatus: string) => `
INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at, has_trailing_stop, trailing_activated) VALUES
  (3, 'DUPUSDT', 'bybit', 'long', 10, 3.00000000, 'active', '2025-10-26 09:00:00+00', '2025-10-26 09:00:00+00', true, false),
  (4, 'DUPUSDT', 'bybit', 'long', 10, 3.50000000, '${newerStatus}', '2025-10-26 12:00:00+00', '2025-10-26 12:00:00+00', true, false);`;

/** Whether open-positions, as it runs on this database, keeps one row per pair itself (its header comment aside). */
const distinctOn = async (url: string, extra = {}) =>
  /^SELECT DISTINCT ON/m.test((await showQuery('open-positions', auditOptions(url, extra), fixedNow, true)).sql);

describe("with the bot's partial unique index", () => {
  const db = useScenario('tz', POSITIONS);

  it('reads the open positions without DISTINCT ON, and keeps it when --as-of brings ended positions in', async () => {
    expect(await distinctOn(db.url)).toBe(false);
    expect(await distinctOn(db.url, { asOf: new Date('2025-10-26T11:00:00Z') })).toBe(true);
    const report = await runDbCommand('timestamps', auditOptions(db.url), fixedNow);
    expect(report.summary.openPositions).toBe(2);
    expect(report.details?.timestamps?.map((t) => t.positionId).sort()).toEqual([1, 2]);
  });
});

describe.each([
  ['without the unique index', 'DROP INDEX monitoring.idx_positions_open_symbol_exchange;', 'pending_sl', DEFAULT_OPEN_STATUSES],
  ['with statuses the index does not cover', '', 'reopening', [...DEFAULT_OPEN_STATUSES, 'reopening']],
])('%s', (_name, ddl, newerStatus, openStatuses) => {
  const db = useScenario('naive', `${ddl}${POSITIONS}${DUPLICATE(newerStatus)}`);

  it('keeps DISTINCT ON and counts the newest open position of the pair once', async () => {
    expect(await distinctOn(db.url, { openStatuses })).toBe(true);
    const report = await runDbCommand('timestamps', auditOptions(db.url, { openStatuses }), fixedNow);
    expect(report.summary.openPositions).toBe(3);
    expect(report.details?.timestamps?.filter((t) => t.symbol === 'DUPUSDT').map((t) => t.positionId)).toEqual([4]);
  });
});
