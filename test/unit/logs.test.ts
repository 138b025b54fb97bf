import { describe, expect, it } from 'vitest';
import { RESTARTS_KEPT, analyzeLogs } from '../../src/logs/analyze.js';
import { readRecords, zonedToUtc } from '../../src/logs/parse.js';
import { LOST, writeIncidentLogs } from '../support/logs.js';

describe('log forensics', () => {
  it('converts host-local times with the zone of the host, DST included', () => {
    expect(zonedToUtc([2025, 10, 26, 20, 30, 34, 973], 'Asia/Dubai')).toEqual(new Date('2025-10-26T16:30:34.973Z'));
    expect(zonedToUtc([2025, 7, 1, 12, 0, 0, 0], 'Europe/Berlin')).toEqual(new Date('2025-07-01T10:00:00Z'));
    expect(zonedToUtc([2025, 12, 1, 12, 0, 0, 0], 'Europe/Berlin')).toEqual(new Date('2025-12-01T11:00:00Z'));
  });

  it('finds each restart with what it restored and lost, in file order whatever the argument order', async () => {
    const { files } = writeIncidentLogs();
    const a = await analyzeLogs(files, readRecords(files, 'Asia/Dubai'));
    expect(a.restarts.map((r) => [r.at.toISOString(), r.counts])).toEqual([
      ['2025-10-26T09:05:02.001Z', { restored: 1, createdNew: 0, failed: 0, timedOut: 0, deleted: 0 }],
      ['2025-10-26T16:30:34.500Z', { restored: 1, createdNew: 13, failed: 0, timedOut: 0, deleted: 0 }],
    ]);
    expect(a.restarts[1]?.symbols?.createdNew.sort()).toEqual(LOST);
    expect(a.restoreLosses.map((l) => l.symbol)).toEqual(LOST);
  });

  it('collects save failures by symbol, folding tracebacks into their record', async () => {
    const { files } = writeIncidentLogs();
    const a = await analyzeLogs(files, readRecords(files, 'Asia/Dubai'));
    expect(a.saveFailures.map((f) => f.symbol)).toEqual(LOST);
    expect(a.saveFailures[0]).toMatchObject({ count: 1, kinds: { 'save-failed': 1 }, recoveredAt: null });
    expect(a.records).toBe(3 + 13 + 2 + 2 + 14); // traceback lines belong to their record
  });

  it("keeps each exchange's latest set of symbols in memory", async () => {
    const { files } = writeIncidentLogs();
    const a = await analyzeLogs(files, readRecords(files, 'Asia/Dubai'));
    expect(a.memory.map((m) => [m.exchange, m.symbols.length, m.at.toISOString()])).toEqual([
      ['binance', 7, '2025-10-26T16:29:50.001Z'],
      ['bybit', 7, '2025-10-26T16:29:50.002Z'],
    ]);
  });
});

describe('bounded memory', () => {
  it('counts every restart but keeps only the last 1,000 one by one', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = `${mkdtempSync(`${tmpdir()}/ts-audit-many-`)}/bot.log`;
    const lines: string[] = [];
    for (let i = 0; i < 2500; i++) {
      const t = new Date(Date.UTC(2025, 9, 1) + i * 60_000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
      lines.push(`${t} - core.position_manager - INFO - 🎯 Initializing trailing stops for loaded positions...`);
      lines.push(`${t} - core.position_manager - INFO - ✅ A${i % 7}USDT: New TS created (no state in DB)`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const a = await analyzeLogs([file], readRecords([file], 'UTC'));
    expect(a.restartCount).toBe(2500);
    expect(a.restarts).toHaveLength(RESTARTS_KEPT);
    expect(a.restarts[0]?.at).toEqual(new Date(Date.UTC(2025, 9, 1) + 1500 * 60_000));
    expect(a.restartTotals.createdNew).toBe(2500);
    expect(a.restarts.filter((r) => r.symbols).length).toBe(50);
    expect(a.restoreLosses.find((l) => l.symbol === 'A0USDT')?.restarts).toBe(358); // i % 7 === 0 for 358 of 2500
  });
});

describe("the real bot's lines", () => {
  const L = (time: string, logger: string, level: string, message: string) => `2025-10-26 ${time} - ${logger} - ${level} - ${message}`;
  async function analyze(lines: string[]) {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = `${mkdtempSync(`${tmpdir()}/ts-audit-real-`)}/bot.log`;
    writeFileSync(file, `${lines.join('\n')}\n`);
    return analyzeLogs([file], readRecords([file], 'UTC'));
  }
  const LOG = [
    L('10:00:00,000', 'core.position_manager', 'INFO', '🎯 Initializing trailing stops for loaded positions...'),
    L('10:00:00,100', 'protection.trailing_stop', 'ERROR', '🔴 AAAUSDT: SIDE MISMATCH DETECTED!'),
    L('10:00:00,200', 'core.position_manager', 'INFO', '✅ AAAUSDT: New TS created (no state in DB)'),
    L('10:00:00,300', 'core.position_manager', 'INFO', '✅ HHHUSDT: TS state restored from DB'),
    L(
      '10:00:01,000',
      'core.position_manager',
      'DEBUG',
      "[TS_DEBUG] Exchange: binance, Trailing manager exists: True, TS symbols in memory: ['AAAUSDT', 'HHHUSDT']",
    ),
    L('10:00:01,001', 'core.position_manager', 'DEBUG', '[TS_DEBUG] Exchange: bybit, TS symbols in memory: ["EEEUSDT", "FFFUSDT", "GGGUSDT"]'),
    L('10:00:01,002', 'core.position_manager', 'DEBUG', '[TS_DEBUG] Exchange: okx, Trailing manager exists: False'),
    // Position updates may interleave with the initialisation: the restart goes on.
    L('10:00:02,000', 'core.position_manager', 'INFO', '✅ JJJUSDT: New TS created (no state in DB)'),
    // Outside the restart: a creation that failed and one that timed out leave positions with no stop.
    L(
      '10:05:00,000',
      'core.position_manager',
      'ERROR',
      '❌ Failed to create trailing stop for CCCUSDT: Pool not initialized - TS cannot be persisted - continuing without TS',
    ),
    L('10:05:10,000', 'core.position_manager', 'ERROR', '❌ Timeout creating trailing stop for DDDUSDT - continuing without TS'),
    // A failed delete, then the manager's false success.
    L('10:06:00,000', 'database.repository', 'ERROR', 'Failed to delete TS state for BBBUSDT: connection was closed in the middle of operation'),
    L('10:06:00,010', 'protection.trailing_stop', 'INFO', '✅ BBBUSDT: Position closed, TS removed from memory AND database'),
    // EEE: created, saved, then an update fails minutes later (the row lags memory).
    L('10:07:00,000', 'protection.trailing_stop', 'INFO', '✅ EEEUSDT: TS CREATED - side=long, entry=1.0'),
    L('10:09:00,000', 'protection.trailing_stop', 'ERROR', "❌ EEEUSDT: Failed to save TS state: 'NoneType' object has no attribute 'acquire'"),
    // FFF: its first save fails (the stop never got a row).
    L('10:10:00,000', 'protection.trailing_stop', 'INFO', '✅ FFFUSDT: TS CREATED - side=short, entry=2.0'),
    L('10:10:00,050', 'protection.trailing_stop', 'ERROR', '❌ FFFUSDT: Repository pool not initialized!'),
    // GGG: activated in memory, then a save fails.
    L('10:11:00,000', 'protection.trailing_stop', 'INFO', '✅ GGGUSDT: TS CREATED - side=long, entry=3.0'),
    L('10:12:00,000', 'protection.trailing_stop', 'INFO', '✅ GGGUSDT: TS ACTIVATED (Variant B — no exchange SL) - side=long, price=3.1'),
    L('10:13:00,000', 'protection.trailing_stop', 'ERROR', "❌ GGGUSDT: Failed to save TS state: 'NoneType' object has no attribute 'acquire'"),
    // ZZZ: nothing in the logs says which exchange it is on.
    L('10:14:00,000', 'protection.trailing_stop', 'ERROR', "❌ ZZZUSDT: Failed to save TS state: 'NoneType' object has no attribute 'acquire'"),
  ];

  it('counts a side-mismatch deletion at a restart as deleted, not created new', async () => {
    const a = await analyze(LOG);
    expect(a.restarts[0]?.counts).toEqual({ restored: 1, createdNew: 1, failed: 0, timedOut: 0, deleted: 1 });
    expect(a.restarts[0]?.symbols?.deleted).toEqual(['AAAUSDT']);
  });

  it('reads every [TS_DEBUG] shape, a manager that does not exist holding nothing', async () => {
    const a = await analyze(LOG);
    expect(a.memory.map((m) => [m.exchange, m.symbols])).toEqual([
      ['binance', ['AAAUSDT', 'HHHUSDT']],
      ['bybit', ['EEEUSDT', 'FFFUSDT', 'GGGUSDT']],
      ['okx', []],
    ]);
  });

  it('reports failed deletions, creation failures outside a restart, and save failures by what they lost', async () => {
    const { logFindings } = await import('../../src/commands/logs.js');
    const findings = logFindings(await analyze(LOG));
    const of = (check: string, symbol: string) => findings.find((f) => f.check === check && f.symbol === symbol);
    expect(of('delete-failure', 'BBBUSDT')).toMatchObject({ severity: 'medium', evidence: { falseSuccess: true } });
    expect(of('delete-failure', 'BBBUSDT')?.message).toMatch(/the row stays/);
    expect(of('creation-failure', 'CCCUSDT')).toMatchObject({ severity: 'high', evidence: { kind: 'failed' } });
    expect(of('creation-failure', 'DDDUSDT')).toMatchObject({ severity: 'high', evidence: { kind: 'timed-out' } });
    expect(of('creation-failure', 'CCCUSDT')?.message).toMatch(/trails nothing/);
    expect(of('save-failure', 'EEEUSDT')).toMatchObject({ severity: 'high', exchange: 'bybit', evidence: { loss: 'updates-only' } });
    expect(of('save-failure', 'FFFUSDT')).toMatchObject({ severity: 'critical', evidence: { loss: 'never-saved' } });
    expect(of('save-failure', 'GGGUSDT')).toMatchObject({ severity: 'critical', evidence: { loss: 'activated' } });
    expect(of('save-failure', 'ZZZUSDT')).toMatchObject({ severity: 'critical', exchange: '-', evidence: { loss: 'unknown' } });
    expect(of('save-failure', 'ZZZUSDT')?.message).toMatch(/exchange unknown from the log/);
    expect(findings.filter((f) => f.check === 'lost-at-restart').map((f) => f.symbol)).toEqual(['AAAUSDT', 'JJJUSDT']);
  });

  it('refuses a file with no record of the bot as input error, not as a clean log', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { readLogs } = await import('../../src/commands/logs.js');
    const { DumpError } = await import('../../src/errors.js');
    const file = `${mkdtempSync(`${tmpdir()}/ts-audit-notlog-`)}/stops.json`;
    writeFileSync(file, '{"format": "ts-audit/stops@1", "stops": []}\n');
    const failure = await readLogs({ files: [file], logTimezone: 'UTC' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DumpError);
    expect((failure as Error).message).toMatch(/not a log of the bot: 0 records/);
  });
});
