import { describe, expect, it } from 'vitest';
import { logFindings } from '../../src/commands/logs.js';
import { analyzeLogs } from '../../src/logs/analyze.js';
import { readRecords } from '../../src/logs/parse.js';
import { AFTER_RESTART, BEFORE_RESTART, writeLifecycleLog } from '../support/lifecycle-logs.js';

const findingsOf = async (lines: string[]) => {
  const file = writeLifecycleLog(lines);
  const analysis = await analyzeLogs([file], readRecords([file], 'Asia/Dubai'));
  return { analysis, findings: logFindings(analysis).filter((f) => f.check.startsWith('lifecycle-')) };
};

describe('the signal lifecycle lines of the log', () => {
  it('before a restart: the swallowed persist failure, and what memory holds', async () => {
    const { analysis, findings } = await findingsOf(BEFORE_RESTART);
    expect(findings.map((f) => `${f.check} ${f.severity} ${f.symbol}`)).toEqual(['lifecycle-persist-failure high NOLCUSDT']);
    expect(findings[0]?.message).toMatch(/1 failed lifecycle write .*swallowed/);
    expect(analysis.lifecycles?.memory).toEqual([
      { symbol: 'PEAKAUSDT', activated: true, peak: '1.155', at: new Date('2026-03-02T08:45:00Z') },
      { symbol: 'PEAKBUSDT', activated: true, peak: '2.31', at: new Date('2026-03-02T09:10:00Z') },
    ]);
  });

  it('over the whole log: the two activations the restart lost, one re-armed at a lower peak, one not at all', async () => {
    const { findings } = await findingsOf([...BEFORE_RESTART, ...AFTER_RESTART]);
    const lost = findings.filter((f) => f.check === 'lifecycle-activation-lost');
    expect(lost.map((f) => `${f.severity} ${f.symbol}`)).toEqual(['high PEAKAUSDT', 'high PEAKBUSDT']);
    expect(lost[0]?.message).toMatch(
      /\(peak 1\.155\) with no exit before the restart at 2026-03-02 11:00:00 UTC; re-armed at 2026-03-02 11:20:00 UTC at the lower peak 1\.101/,
    );
    expect(lost[1]?.message).toMatch(/not re-armed since in the log/);
    // EXITUSDT exited before the restart: nothing lost.
    expect(findings.some((f) => f.symbol === 'EXITUSDT')).toBe(false);
    expect(findings.some((f) => f.check === 'lifecycle-persist-failure' && f.symbol === 'NOLCUSDT')).toBe(true);
  });

  it('a re-armed latch at a peak as high loses nothing; a failed write followed by an activation is critical; a failed load is critical', async () => {
    const higher = AFTER_RESTART.map((l) => l.replace('peak=1.101', 'peak=1.2'));
    const { findings } = await findingsOf([
      ...BEFORE_RESTART,
      '2026-03-02 13:50:00,000 - core.signal_lifecycle - INFO - 📈 Trailing stop ACTIVATED for NOLCUSDT: pnl=10.00% >= 10.0% | entry=7.0, price=7.7, peak=7.7',
      ...higher,
      '2026-03-02 15:00:02,000 - core.signal_lifecycle - ERROR - Failed to load lifecycles from DB: connection refused',
    ]);
    expect(findings.filter((f) => f.check === 'lifecycle-activation-lost').map((f) => f.symbol)).toEqual(['NOLCUSDT', 'PEAKBUSDT']);
    expect(findings.find((f) => f.symbol === 'NOLCUSDT' && f.check === 'lifecycle-persist-failure')?.severity).toBe('critical');
    expect(findings.find((f) => f.evidence.reason === 'load-failed')).toMatchObject({ severity: 'critical', symbol: '*' });
  });
});
