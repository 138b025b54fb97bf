// diff --dump-log: the memory side from the bot's logs, the symbols of the latest [TS_DEBUG] line per
// exchange, against the incident's database (the flags are spawned in test/e2e/demo.test.ts).
import { describe, expect, it } from 'vitest';
import { runDiff } from '../../src/commands/diff.js';
import { fixture, useScenario } from '../support/db.js';
import { LOST, writeIncidentLogs } from '../support/logs.js';
import { diffOptions, fixedNow } from '../support/options.js';

describe('diff --dump-log', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it('takes memory from the latest [TS_DEBUG] lines: the 13 lost stops are only in memory', async () => {
    const { files } = writeIncidentLogs();
    const report = await runDiff({ ...diffOptions(db.url, ''), dump: undefined, dumpLog: files, logTimezone: 'Asia/Dubai' }, fixedNow);
    expect([...report.findings].map((f) => f.symbol).sort()).toEqual(LOST);
    expect(new Set([...report.findings].map((f) => `${f.check} ${f.severity}`))).toEqual(new Set(['missing-in-db high']));
    expect(report.dump).toMatchObject({ format: 'ts-debug-log', stops: 14, dumpedAt: new Date('2025-10-26T16:29:50.001Z') });
    expect(report.summary.byCheck).toEqual({ 'missing-in-db': 13, 'missing-in-memory': 0, 'untrailed-position': 0 });
  });
});
