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
