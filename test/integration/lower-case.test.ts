// Sides and states are lower-cased byte-wise (ASCII letters only) before they are compared with the
// bot's words: the bot's Python `.lower()` turns 'ACTİVE' (a dotted capital I) into 'acti̇ve', which is
// not 'active', where a libc locale's lower() gives 'active'.
import { describe, expect, it } from 'vitest';
import { runDbCommand } from '../../src/commands/db-commands.js';
import { useScenario, withClient } from '../support/db.js';
import { auditOptions, fixedNow } from '../support/options.js';

const DATA = `
INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at, has_trailing_stop, trailing_activated) VALUES
  (1, 'CASEUSDT', 'binance', 'long', 10, 1.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00', true, true);
INSERT INTO monitoring.trailing_stop_state
  (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price, current_stop_price, activation_price,
   activation_percent, callback_percent, entry_price, side, quantity, update_count, created_at, activated_at, last_update_time) VALUES
  ('CASEUSDT', 'binance', 1, 'ACTİVE', true, 1.05000000, 999999, 1.04000000, 1.01000000, 1, 0.5, 1.00000000, 'long', 10, 3,
   '2025-10-26 10:00:02+00', '2025-10-26 11:00:00+00', '2025-10-26 16:35:00+00');`;

describe('a state that only a locale lower-cases to a known word', () => {
  const db = useScenario('tz', DATA);

  it('is an unknown state, as the bot sees it, even where the column collation maps İ to i', async (ctx) => {
    // A libc collation whose lower() maps İ to i, as glibc's do (C.utf8, en_US.utf8): the column
    // takes it, so that a query lower-casing by the column's collation would read 'active'.
    const collation = await withClient(db.url, async (c) => {
      const { rows } = await c.query<{ name: string }>(
        "SELECT quote_ident(collname) AS name FROM pg_collation WHERE collprovider = 'c' AND collencoding IN (-1, 6) AND collname ~ '^(C|en_US)\\.(utf8|UTF-8)$' ORDER BY collname LIMIT 1",
      );
      const name = rows[0]?.name;
      if (!name) return undefined;
      const { rows: lowered } = await c.query<{ l: string }>(`SELECT lower('ACTİVE' COLLATE ${name}) AS l`);
      return lowered[0]?.l === 'active' ? name : undefined;
    });
    if (!collation) ctx.skip('no libc collation here lower-cases İ to i');
    await db.exec(`ALTER TABLE monitoring.trailing_stop_state ALTER COLUMN state TYPE varchar(20) COLLATE ${collation}`);
    const report = await runDbCommand('check', auditOptions(db.url), fixedNow);
    const reasons = [...report.findings].filter((f) => f.check === 'invalid-stop-row').map((f) => f.evidence.reason);
    expect(reasons).toContain('unknown-state');
    expect(reasons).not.toContain('legacy-case');
  });
});
