// The incident report's Markdown and JSON (src/report/incident.ts), in process, from incident reports
// the real pipeline built and saved (test/fixtures/reports/report-*.json, held to the pipeline by
// test/integration/saved-reports.test.ts): no database, no spawn. Markdown is read as its readers
// read it: rendered by a real engine (markdown-it, raw HTML allowed and bare links made live, as the most
// permissive renderers do), and the Mermaid chart as Mermaid parses its lines.
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { renderIncident, renderIncidentJson } from '../../src/report/incident.js';
import { htmlText } from '../support/markdown.js';
import { HOSTILE, savedIncident } from '../support/saved-reports.js';

const md = new MarkdownIt({ html: true, linkify: true });
const INCIDENT = savedIncident('report-incident');
const JOURNAL = savedIncident('report-journal');
const HOSTILE_REPORT = savedIncident('report-hostile');
const gantt = (markdown: string) => /```mermaid\ngantt\n([\s\S]*?)```/.exec(markdown)?.[1] ?? '';
// eslint-disable-next-line no-control-regex -- no control character but the newline may reach the Markdown
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/;

describe('the incident report of the incident, after its restart, with its logs', () => {
  const text = renderIncident(INCIDENT, { appendix: true });

  it('has every section, under the title it was given', () => {
    expect(text.startsWith('# TS restoration, 2025-10-26\n')).toBe(true);
    for (const h of [
      '## Executive summary',
      '## Suspected causes',
      '## Recommended actions',
      '### Position opened vs stop row created',
      '### Timeline',
      '### Entry-price mismatches',
      '### What a restart would do',
      '### Log forensics',
      '## Appendix: queries',
    ])
      expect(text).toContain(`\n${h}\n`);
  });

  it('gives the first cause with its evidence: the burst, and the save failures and the restart in the logs', () => {
    expect(text).toMatch(
      /1\. \*\*Stops were recreated at a restart, not saved when their positions opened\*\*\n {3}- 13 stop rows were created within one minute \(2025-10-26 16:30 UTC\), 3h 24m to 4h after/,
    );
    expect(text).toMatch(/ {3}- The logs show 13 symbols whose saves failed before it \(first at 2025-10-26 13:00:10 UTC\)\./);
    expect(text).toMatch(/ {3}- The logs show a restart at 2025-10-26 16:30:34 UTC that created 13 stops anew\./);
  });

  it('shows times in UTC and in the display zone, exchange before symbol, each time column named with its zone', () => {
    expect(text).toContain(
      '| Exchange | Symbol | Position opened (UTC) | Position opened (Asia/Dubai) | Stop row created (UTC) | Stop row created (Asia/Dubai) | Lag |',
    );
    expect(text).toContain('| bybit | RADUSDT | 2025-10-26 13:05:54 | 2025-10-26 17:05:54 | 2025-10-26 16:30:34 | 2025-10-26 20:30:34 | 3h 24m (late) |');
    expect(text).toContain('| Restart (UTC) | As logged (Asia/Dubai) |');
  });

  it('has only UTC columns when the display zone shows UTC', () => {
    const utc = renderIncident({ ...INCIDENT, displayTimezone: 'UTC' });
    expect(utc).toContain('| Exchange | Symbol | Position opened (UTC) | Stop row created (UTC) | Lag |');
    expect(utc).not.toContain('Position opened (Asia/Dubai)');
    // The logs' times are still shown as logged, in the zone they were written in.
    expect(utc).toContain('| Restart (UTC) | As logged (Asia/Dubai) |');
  });

  it('draws a gantt chart Mermaid can read: a section per symbol, the late ones crit, the restart marked', () => {
    const chart = gantt(text);
    expect(chart).toContain('dateFormat YYYY-MM-DDTHH:mm:ss');
    expect(chart.match(/^ {2}section /gm)).toHaveLength(15); // 14 positions and the events
    expect(chart).toContain('  section bybit/RADUSDT\n  open without a row :crit, ');
    expect(chart).toMatch(/^ {2}restart :milestone, e\d+, 2025-10-26T16:30:34, 0m$/m);
    // The 2-second bar of DOGUSDT is drawn long enough to see, and says 2s.
    expect(chart).toMatch(/^ {2}section binance\/DOGUSDT\n {2}open without a row \(2s\) :p\d+, 2025-10-26T09:05:12, 2025-10-26T09:\d\d:\d\d$/m);
    // Every bar ends at a real moment: a row created, a restart, the dump or the snapshot.
    const tasks = chart.split('\n').filter((l) => /^ {2}[^ ].*:/.test(l) && !l.includes('section') && !l.includes('title') && !l.includes('Format'));
    expect(tasks.length).toBeGreaterThan(14);
    for (const task of tasks)
      expect(task).toMatch(/^ {2}[^:#]+ :(crit, |milestone, |done, )?[a-z]\d+, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d, (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|0m)$/);
  });

  it('reproduces the run in the appendix: each query once, with its parameters and the snapshot time', () => {
    expect(text).toMatch(
      /### late-persisted \(14 rows, [\d.]+ ms\)\n\n(- `\$\d` = .*\n)*- `\$\d` = `:open_statuses` = `\["active","pending_entry","entry_placed","pending_sl"\]`/,
    );
    const appendix = text.slice(text.indexOf('## Appendix: queries'));
    const names = [...appendix.matchAll(/^### ([a-z-]+) \(/gm)].map((m) => m[1]);
    expect(names).toEqual([...new Set(names)]);
    expect(names).toEqual(expect.arrayContaining(['restore', 'late-persisted', 'recreated-position']));
    expect(md.parse(appendix, {}).filter((t) => t.type === 'fence' && t.info === 'sql')).toHaveLength(names.length);
    expect(text).toMatch(/Every query below ran in one read-only, repeatable-read snapshot taken at 2025-10-26 16:40:00 UTC/);
  });

  it('leaves the appendix out unless asked, and says how to get it', () => {
    const short = renderIncident(INCIDENT);
    expect(short).not.toContain('## Appendix: queries');
    expect(short).toContain('`ts-audit report --appendix` adds each one with its parameters and SQL');
    expect(text.startsWith(short.slice(0, short.lastIndexOf('\n## ')))).toBe(true);
  });

  it('as JSON: the envelope of every report, each part with its findings in full, the whole report read back', () => {
    const doc = JSON.parse(renderIncidentJson(INCIDENT)) as Record<string, unknown> & { main: { findings: unknown[] }; findings: unknown[] };
    expect(doc).toMatchObject({ tool: 'ts-audit', reportVersion: 1, command: 'report', title: 'TS restoration, 2025-10-26' });
    expect(doc.main.findings).toHaveLength([...INCIDENT.main.findings].length);
    expect(doc.findings.length).toBeGreaterThan(doc.main.findings.length - 1);
    expect(Date.parse(doc.generatedAt as string)).toBeGreaterThanOrEqual(Date.parse((doc.database as { snapshotAt: string }).snapshotAt));
  });
});

describe('the incident report of a journal replay, as of the end of a session, with the log', () => {
  const text = renderIncident(JOURNAL);

  it('shows each symbol with a finding in a timeline, and marks the session starts and the as-of moment on the chart', () => {
    expect(text).toContain('### Per-symbol timeline');
    expect(text).toContain('#### binance/CUSDT');
    expect(text).toContain('- created in memory 2026-03-01 10:00:01 UTC per the journal, row created 2026-03-01 11:59:58 UTC: not saved for 1h 59m');
    const chart = gantt(text);
    expect(chart).toMatch(/ {2}session start :milestone, e\d+, 2026-03-01T08:00:00/);
    expect(chart).toMatch(/ {2}as of :milestone, e\d+, 2026-03-01T11:30:00/);
    expect(text).toMatch(/\*\*Note:\*\* As of 2026-03-01 11:30:00 UTC/);
  });

  it('does not call the journal incomplete for losses the logs show after the replayed span', () => {
    // The log's dropped batch and failed start are in session 2; the replay stops at the end of session 1.
    expect(text).not.toContain('The journal is incomplete');
  });

  it('marks the findings a replay cannot be sure of, and says why', () => {
    const uncertain = [...JOURNAL.main.findings].filter((f) => f.uncertain);
    expect(uncertain.length).toBeGreaterThan(0);
    expect(JOURNAL.main.summary.uncertain).toBe(uncertain.length);
    expect(text).toMatch(/uncertain/i);
  });
});

describe('the incident report of hostile symbols, under a hostile title', () => {
  const text = renderIncident(HOSTILE_REPORT, { appendix: true });
  const html = md.render(text);

  it('writes no control character, no HTML of the data and no link but its own', () => {
    expect(text).not.toMatch(RAW_CONTROL);
    expect(html).not.toMatch(/<script|<img/i);
    for (const a of html.match(/<a [^>]*>/g) ?? []) expect(a).toMatch(/^<a href="#[a-z-]+">$/);
  });

  it('keeps the title one heading, as text', () => {
    const headings = md.parse(text, {}).filter((t) => t.type === 'heading_open' && t.tag === 'h1');
    expect(headings).toHaveLength(1);
    expect(htmlText(html)).toContain('Report <img onerror=x> evil.com\\n# not a heading');
  });

  it('shows every symbol as text, in the tables and in a chart no symbol can close early', () => {
    const shown = htmlText(html);
    for (const s of ['<script>x</script>', '<img onerror=x>', 'A|B*C_D`E', 'https://e.co', 'S\\n```\\n[l](//e.co)', 'ESC\\x1b[2J\\rCR', '\\u202eRTL'])
      expect(shown).toContain(s);
    expect(HOSTILE.length).toBeGreaterThan(7);
    const fences = md.parse(text, {}).filter((t) => t.type === 'fence');
    const charts = fences.filter((t) => t.info === 'mermaid');
    expect(charts).toHaveLength(1);
    expect(charts[0]!.content).toMatch(/^gantt\n[\s\S]*\n {2}section events\n/);
    // The chart's sections are the symbols, made safe for Mermaid (no field separator, no markup).
    expect(charts[0]!.content).toContain('  section binance/_script_x_/script_\n');
    expect(charts[0]!.content).toContain('  section binance/S_n____n_l_(//e.co)\n');
    // Every fence but the chart is the appendix's SQL.
    expect(fences.every((t) => t.info === 'mermaid' || t.info === 'sql')).toBe(true);
  });
});
