// buildPlan on rows alone: the left-out rule is driven by the findings, so a check added to the
// registry later (a lifecycle check written elsewhere) is accounted for without a change to rescue;
// and the literal and tag writers.
import { afterEach, describe, expect, it } from 'vitest';
import { DIFF_CHECKS } from '../../src/checks/index.js';
import type { DiffCheck } from '../../src/checks/types.js';
import { type PlanContext, buildPlan, dollarTag, sqlIdent, sqlInteger, sqlString } from '../../src/commands/rescue.js';
import type { StopRow } from '../../src/db/rows.js';
import { DEFAULT_OPEN_STATUSES, DEFAULT_TABLE_NAMES } from '../../src/db/tables.js';
import { Decimal, parseTolerance } from '../../src/decimal.js';
import type { MemoryStop } from '../../src/dump/types.js';
import { stopKey } from '../../src/checks/types.js';

const opts = { schema: 'monitoring', tables: DEFAULT_TABLE_NAMES, openStatuses: DEFAULT_OPEN_STATUSES, deleteStale: false };
const ctx = (): PlanContext => ({
  diff: {
    dumpedAt: null,
    priceTolerance: parseTolerance('0') as never,
    scales: { highest_price: 8, lowest_price: 8, entry_price: 8, current_stop_price: 8, activation_price: 8, quantity: 8 },
  },
  severity: {},
  disabled: [],
  dumpExchanges: new Set(['binance']),
  now: new Date('2025-10-26T16:30:00Z'),
});
const position = { id: 1, exchange: 'binance', symbol: 'AUSDT', side: 'long', entry_price: '1.5', quantity: '10' };
const open = [
  { id: 1, exchange: 'binance', symbol: 'AUSDT', side: 'long', entry_price: '1.5', has_trailing_stop: true, opened_at: new Date('2025-10-26T09:00:00Z') },
];
const row: StopRow = {
  id: '7',
  exchange: 'binance',
  symbol: 'AUSDT',
  position_id: '1',
  state: 'active',
  is_activated: true,
  side: 'long',
  entry_price: '1.50000000',
  highest_price: '1.60000000',
  lowest_price: '999999.00000000',
  current_stop_price: '1.55000000',
  activation_price: '1.52000000',
  quantity: '10.00000000',
  update_count: 5,
  created_at: new Date('2025-10-26T09:00:01Z'),
  last_update_time: new Date('2025-10-26T16:00:00Z'),
};
const memoryStop: MemoryStop = {
  entry: 1,
  exchange: 'binance',
  symbol: 'AUSDT',
  state: 'active',
  side: 'long',
  isActivated: true,
  entryPrice: Decimal.of('1.5'),
  highestPrice: Decimal.of('1.6'),
  lowestPrice: Decimal.of('999999'),
  currentStopPrice: Decimal.of('1.55'),
  activationPrice: Decimal.of('1.52'),
  quantity: Decimal.of('10'),
  updateCount: 5,
};

describe('rescue accounts for every high finding diff reports, whatever the check', () => {
  const added: DiffCheck[] = [];
  afterEach(() => {
    for (const c of added.splice(0)) DIFF_CHECKS.splice(DIFF_CHECKS.indexOf(c), 1);
  });

  it('a check the registry gains later, with a high finding rescue cannot repair, is listed as left out with its message', () => {
    const memory = new Map([[stopKey('binance', 'AUSDT'), memoryStop]]);
    expect(buildPlan(opts, [position], [row], [], memory, ctx(), open).leftOut).toEqual([]);
    const lifecycle: DiffCheck = {
      id: 'future-lifecycle-check',
      kind: 'diff',
      commands: ['diff'],
      severities: ['high'],
      summary: 'a check rescue has never heard of',
      failureMode: '-',
      repair: '-',
      evaluate: ({ stop }) =>
        stop
          ? {
              check: 'future-lifecycle-check',
              severity: 'high',
              exchange: stop.exchange,
              symbol: stop.symbol,
              positionId: 1,
              message: 'the signal lifecycle is broken',
              evidence: {},
            }
          : null,
    };
    DIFF_CHECKS.push(lifecycle);
    added.push(lifecycle);
    const plan = buildPlan(opts, [position], [row], [], memory, ctx(), open);
    expect(plan.statements).toEqual([]);
    expect(plan.leftOut).toEqual([
      expect.objectContaining({
        exchange: 'binance',
        symbol: 'AUSDT',
        check: 'future-lifecycle-check',
        severity: 'high',
        reason: expect.stringContaining('the signal lifecycle is broken'),
      }),
    ]);
    // Below high (by the config's severity), it is not: the rule follows the severity diff reports.
    expect(buildPlan(opts, [position], [row], [], memory, { ...ctx(), severity: { 'future-lifecycle-check': 'medium' } }, open).leftOut).toEqual([]);
    // Disabled, diff does not report it either.
    expect(buildPlan(opts, [position], [row], [], memory, { ...ctx(), disabled: ['future-lifecycle-check'] }, open).leftOut).toEqual([]);
  });

  it('a finding the script repairs (a missing row) is not listed; one it cannot write says why and names the finding', () => {
    const memory = new Map([[stopKey('binance', 'AUSDT'), memoryStop]]);
    const inserted = buildPlan(opts, [position], [], [], memory, ctx(), open);
    expect(inserted.statements.map((s) => s.kind)).toEqual(['insert']);
    expect(inserted.leftOut).toEqual([]);
    const noPeak = new Map([[stopKey('binance', 'AUSDT'), { ...memoryStop, highestPrice: undefined }]]);
    const left = buildPlan(opts, [position], [], [], noPeak, ctx(), open).leftOut;
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({
      check: 'missing-in-db',
      reason: expect.stringMatching(/^memory does not say its highest price \(peak\): a peak is never invented \(diff: missing-in-db, critical: /),
    });
  });
});

describe('the values rescue writes', () => {
  it('strings: E-literals in printable ASCII, every quote, backslash, $ and non-ASCII character escaped', () => {
    expect(sqlString("a'b\\c$d")).toBe("E'a''b\\\\c\\u0024d'");
    expect(sqlString('\r\n\u2028😀')).toBe("E'\\u000d\\u000a\\u2028\\U0001f600'");
  });
  it('integers exactly as PostgreSQL sent them; anything else refused', () => {
    expect(sqlInteger('9007199254740993')).toBe('9007199254740993');
    expect(() => sqlInteger('1; DROP TABLE x')).toThrow();
    expect(() => sqlInteger(2 ** 53 + 2)).toThrow();
  });
  it("a dollar tag derived from the body's hash, not contained in it", () => {
    const tag = dollarTag('x');
    expect(tag).toMatch(/^\$ts_audit_[0-9a-f]{16}\$$/);
    const body = `${tag}`;
    expect(body.includes(dollarTag(body))).toBe(false);
  });
});

describe('identifiers rescue writes', () => {
  it('plain ASCII names quoted as they are; any other character as a U& escape, so the script stays ASCII', () => {
    expect(sqlIdent('monitoring')).toBe('"monitoring"');
    expect(sqlIdent('we"ird')).toBe('"we""ird"');
    expect(sqlIdent('мон\\i"\n😀')).toBe('U&"\\043c\\043e\\043d\\\\i""\\000a\\+01f600"');
  });
});
