// The journal from the command line: diff --from-events before and after the restart, and the timeline.
import { describe, expect, it } from 'vitest';
import { INCIDENT_DUMP, fixture, useScenario } from '../support/db.js';
import { expectOneLineError, run } from '../support/cli.js';

describe('ts-audit with the event journal', () => {
  const db = useScenario('current', fixture('journal.sql'));

  it('diff --from-events --as-of reports what memory held before the restart, and nothing after it', async () => {
    const before = await run(['diff', '--db', db.url, '--from-events', '--as-of', '2026-03-01T11:59:59Z', '--format', 'json']);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(1);
    const report = JSON.parse(before.stdout);
    expect(report.findings.map((f: { check: string; severity: string; symbol: string }) => `${f.check} ${f.severity} ${f.symbol}`).sort()).toEqual([
      'field-drift high BUSDT',
      'missing-in-db critical CUSDT',
      'missing-in-db high DUSDT',
      'missing-in-db high EUSDT',
      'missing-in-db high FUSDT',
    ]);
    const after = await run(['diff', '--db', db.url, '--from-events', '--width', '200']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No findings.');
    expect(after.stdout).toContain('Note: Memory replayed from monitoring.events since the restart at 2026-03-01 12:00:00 UTC');
  });

  it('takes one memory side and refuses a moment in the future', async () => {
    expectOneLineError(await run(['diff', '--db', db.url, '--from-events', '--dump', INCIDENT_DUMP]), 2, /--dump and --from-events exclude each other/);
    expectOneLineError(await run(['diff', '--db', db.url, '--from-events', '--as-of', '2099-01-01T00:00:00Z']), 2, /is in the future/);
  });

  it('timeline SYMBOL --format json shows the symbol\'s events', async () => {
    const r = await run(['timeline', 'cusdt', '--db', db.url, '--format', 'json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.symbols).toHaveLength(1);
    expect(t.symbols[0].symbol).toBe('CUSDT');
    expect(t.symbols[0].entries.filter((e: { kind: string }) => e.kind.startsWith('trailing_stop_')).map((e: { kind: string }) => e.kind)).toEqual([
      'trailing_stop_created',
      'trailing_stop_activated',
      'trailing_stop_created',
    ]);
    const table = await run(['timeline', 'CUSDT', '--db', db.url, '--width', '200']);
    expect(table.stdout).toMatch(/=> created in memory 2026-03-01 10:00:01 UTC per the journal, row created 2026-03-01 12:00:01 UTC: not saved for 2h/);
    expectOneLineError(await run(['timeline', 'NOSUCHUSDT', '--db', db.url]), 2, /--symbol NOSUCHUSDT matches nothing in the database/);
  });
});

describe('the incident report with the journal', () => {
  const db = useScenario('current', fixture('journal.sql'));

  it('shows each symbol with a finding in a timeline, and marks restarts and the as-of moment on the chart', async () => {
    const r = await run(['report', '--db', db.url, '--from-events', '--as-of', '2026-03-01T11:59:59Z', '--display-timezone', 'UTC']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('### Per-symbol timeline');
    expect(r.stdout).toContain('#### binance/CUSDT');
    expect(r.stdout).toContain('- created in memory 2026-03-01 10:00:01 UTC per the journal, row created 2026-03-01 12:00:01 UTC: not saved for 2h');
    expect(r.stdout).toMatch(/ {2}restart :milestone, e\d+, 2026-03-01T08:00:00/);
    expect(r.stdout).toMatch(/ {2}as of :milestone, e\d+, 2026-03-01T11:59:59/);
    expect(r.stdout).toMatch(/\*\*Note:\*\* As of 2026-03-01 11:59:59 UTC/);
  });
});
