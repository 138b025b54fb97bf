import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDiff } from '../../src/commands/diff.js';
import { type Variant, INCIDENT_DUMP, dumpPath, fixture, useScenario } from '../support/db.js';
import { writeDump } from '../support/dumps.js';
import { diffOptions, fixedNow } from '../support/options.js';

const DUMPS = new URL('../fixtures/dumps/', import.meta.url).pathname;
const MISSING = [
  'binance AIOZUSDT',
  'binance IDEXUSDT',
  'binance MASKUSDT',
  'binance STGUSDT',
  'binance SUIUSDT',
  'binance ZRXUSDT',
  'bybit 1000BONKUSDT',
  'bybit 10000ELONUSDT',
  'bybit CLOUDUSDT',
  'bybit HIFIUSDT',
  'bybit ORDIUSDT',
  'bybit PYRUSDT',
  'bybit RADUSDT',
].sort();

const ctx = fixedNow;
const options = diffOptions;

describe.each<Variant>(['naive', 'tz'])('diff on the incident replica (%s position timestamps)', (variant) => {
  const db = useScenario(variant, fixture('incident.sql'));

  it.each(['incident.json', 'incident.ndjson'])('finds exactly the 13 stops missing from the database in %s', async (file) => {
    const report = await runDiff(options(db.url, dumpPath(file)), ctx);
    const missing = [...report.findings].filter((f) => f.check === 'missing-in-db');
    expect(missing.map((f) => `${f.exchange} ${f.symbol}`).sort()).toEqual(MISSING);
    expect(report.findings).toHaveLength(13);
    // SUIUSDT is activated in memory: its activation and peak are what a restart loses.
    expect(missing.filter((f) => f.severity === 'critical').map((f) => f.symbol)).toEqual(['SUIUSDT']);
    expect(missing.filter((f) => f.severity === 'high')).toHaveLength(12);
    expect(report.summary).toMatchObject({ openPositions: 14, stopsInDb: 1, stopsInMemory: 14, matched: 1 });
    expect(report.summary.restart?.text).toBe('1/14 open positions would get their stop back (7%)');
    expect(report.summary.bySeverity).toEqual({ critical: 1, high: 12, medium: 0, low: 0, info: 0 });
    expect([...report.findings][0]?.severity).toBe('critical');
  });

  it('reads the bot get_status() shape, keyed by exchange', async () => {
    const report = await runDiff(options(db.url, `${DUMPS}incident-get-status.json`), ctx);
    expect(report.dump?.format).toBe('get-status');
    expect(
      [...report.findings]
        .filter((f) => f.check === 'missing-in-db')
        .map((f) => `${f.exchange} ${f.symbol}`)
        .sort(),
    ).toEqual(MISSING);
    expect([...report.findings].find((f) => f.symbol === 'SUIUSDT')?.severity).toBe('critical');
    // get_status() gives numbers such as 0.00145 for a row holding 0.00145000: equal, not drift.
    expect([...report.findings].some((f) => f.check === 'field-drift')).toBe(false);
  });

  it('reads naive position times in the zone the bot wrote them in, whatever the process zone', async () => {
    const report = await runDiff(options(db.url, `${INCIDENT_DUMP}`), ctx);
    const rad = [...report.findings].find((f) => f.symbol === 'RADUSDT');
    expect((rad?.evidence.positionOpenedAt as Date).toISOString()).toBe('2025-10-26T13:05:54.000Z');
    expect(rad?.positionId).toBe(2);
    expect(report.database?.naiveTimestampZone).toBe('Europe/Moscow');
    expect(report.database?.naiveColumns).toEqual(variant === 'naive' ? ['positions.closed_at', 'positions.created_at', 'positions.opened_at'] : []);
  });

  it('a wrong --db-timezone moves naive times, and only naive ones', async () => {
    const report = await runDiff(options(db.url, `${INCIDENT_DUMP}`, { dbTimezone: 'UTC' }), ctx);
    const opened = ([...report.findings].find((f) => f.symbol === 'RADUSDT')?.evidence.positionOpenedAt as Date).toISOString();
    expect(opened).toBe(variant === 'naive' ? '2025-10-26T16:05:54.000Z' : '2025-10-26T13:05:54.000Z');
  });

  it('leaves out, on both sides, stops whose position opened before --since', async () => {
    // Opened at or after 13:00 UTC: RADUSDT, STGUSDT, MASKUSDT, 10000ELONUSDT.
    const report = await runDiff(options(db.url, INCIDENT_DUMP, { since: new Date('2025-10-26T13:00:00Z') }), ctx);
    expect([...report.findings].map((f) => f.symbol).sort()).toEqual(['10000ELONUSDT', 'MASKUSDT', 'RADUSDT', 'STGUSDT']);
    expect(report.summary).toMatchObject({ openPositions: 4, stopsInMemory: 4, matched: 0 });
  });

  it('filters both sides by --exchange and reads a one-exchange get_status() with it', async () => {
    const all = JSON.parse(readFileSync(`${DUMPS}incident-get-status.json`, 'utf8'));
    const file = writeDump(all.bybit);
    const report = await runDiff(options(db.url, file, { exchanges: ['bybit'] }), ctx);
    expect(report.summary).toMatchObject({ openPositions: 7, stopsInDb: 0, stopsInMemory: 7, matched: 0 });
    expect(new Set([...report.findings].map((f) => f.exchange))).toEqual(new Set(['bybit']));
  });
});
