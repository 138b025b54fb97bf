// The journal from the command line: diff --from-events in session 1 and after the restart, the
// timeline's sessions and the incident report's chart. How every format shows the uncertain findings
// of session 1 is unit-tested from the saved report of the same run (test/unit/reporters.test.ts).
import { describe, expect, it } from 'vitest';
import { INCIDENT_DUMP, fixture, useScenario } from '../support/db.js';
import { expectOneLineError } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { validateReport } from '../support/report.js';
import { writeJournalSessionLog } from '../support/logs.js';

const END_OF_SESSION_1 = '2026-03-01T11:30:00Z';

describe('ts-audit with the event journal', () => {
  const db = useScenario('current', fixture('journal.sql'));

  it('diff --from-events --as-of reports what memory held in session 1, and nothing after the restart', async () => {
    const before = await cli(['diff', '--db', db.url, '--from-events', '--as-of', END_OF_SESSION_1, '--format', 'json']);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(1);
    const report = JSON.parse(before.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.findings.map((f: { check: string; severity: string; symbol: string }) => `${f.check} ${f.severity} ${f.symbol}`).sort()).toEqual([
      'field-drift high BUSDT',
      'field-drift medium AUSDT',
      'missing-in-db critical CUSDT',
      'missing-in-db high DUSDT',
      'missing-in-db high HUSDT',
    ]);
    expect(report.summary.uncertain).toBe(4);
    const after = await cli(['diff', '--db', db.url, '--from-events', '--width', '200']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No findings.');
    expect(after.stdout).toContain('Note: Memory replayed from monitoring.events since the session started at 2026-03-01 12:00:00 UTC (its bot_started event)');
    expect(after.stdout).toContain('The journal itself shows gaps: bybit AUSDT');
  });

  it('takes one memory side and refuses a moment in the future', async () => {
    expectOneLineError(await cli(['diff', '--db', db.url, '--from-events', '--dump', INCIDENT_DUMP]), 2, /--dump and --from-events exclude each other/);
    expectOneLineError(await cli(['diff', '--db', db.url, '--from-events', '--as-of', '2099-01-01T00:00:00Z']), 2, /is in the future/);
  });

  it("timeline SYMBOL shows the symbol's events and each session start, stop and crash", async () => {
    const r = await cli(['timeline', 'cusdt', '--db', db.url, '--format', 'json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.symbols).toHaveLength(1);
    expect(t.symbols[0].symbol).toBe('CUSDT');
    expect(
      t.symbols[0].entries
        .filter((e: { kind: string }) => e.kind.startsWith('trailing_stop_') || e.kind.startsWith('session-'))
        .map((e: { kind: string }) => e.kind),
    ).toEqual(['session-start', 'trailing_stop_created', 'trailing_stop_activated', 'session-crashed', 'session-start', 'trailing_stop_activated']);
    expect(t.sessions.map((s: { crashed: boolean }) => s.crashed)).toEqual([true, false]);
    const table = await cli(['timeline', 'CUSDT', '--db', db.url, '--width', '200']);
    expect(table.stdout).toMatch(/2026-03-01 12:00:00 UTC +session-start +the bot started \(bot_started\) after a crash; its start-up left no event/);
    expect(table.stdout).toMatch(/2026-03-01 11:00:00 UTC +session-crashed +the bot crashed after this/);
    expect(table.stdout).toMatch(/=> created in memory 2026-03-01 10:00:01 UTC per the journal, row created 2026-03-01 11:59:58 UTC: not saved for 1h 59m/);
    expectOneLineError(await cli(['timeline', 'NOSUCHUSDT', '--db', db.url]), 2, /--symbol NOSUCHUSDT matches nothing in the database/);
  });
});

describe("the journal's losses in the logs", () => {
  const db = useScenario('current', fixture('journal.sql'));

  it('logs reports a logger that failed to start and a dropped batch as findings', async () => {
    const r = await cli(['logs', writeJournalSessionLog(), '--log-timezone', 'UTC', '--format', 'json', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(
      report.findings
        .filter((f: { check: string }) => f.check === 'journal-loss')
        .map((f: { severity: string; message: string }) => `${f.severity} ${f.message}`),
    ).toEqual([
      'high the EventLogger failed to start at 2026-03-01 14:05:00 UTC: the session that started then has no journal, so --from-events cannot know its memory (a replay reads the previous session instead)',
      'medium the EventLogger dropped 1 event at 2026-03-01 12:30:05 UTC (1 failed batch write): a replay of the journal over that span is incomplete',
    ]);
  });

  it('a replay with the log alongside says the journal is incomplete over its span', async () => {
    const r = await cli([
      'report',
      '--db',
      db.url,
      '--from-events',
      '--log',
      writeJournalSessionLog(),
      '--log-timezone',
      'UTC',
      '--display-timezone',
      'UTC',
      '--fail-on',
      'none',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /\*\*Note:\*\* The journal is incomplete over the replayed span, the logs show: 1 events dropped at 2026-03-01 12:30:05 UTC; the EventLogger failed to start at 2026-03-01 14:05:00 UTC/,
    );
    // As of session 1, the losses of session 2 are not its span.
    const before = await cli([
      'report',
      '--db',
      db.url,
      '--from-events',
      '--as-of',
      END_OF_SESSION_1,
      '--log',
      writeJournalSessionLog(),
      '--log-timezone',
      'UTC',
      '--display-timezone',
      'UTC',
      '--fail-on',
      'none',
    ]);
    expect(before.stdout).not.toContain('The journal is incomplete');
  });
});
