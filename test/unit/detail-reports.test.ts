// The reports whose tables cli-table3 draws (doctor, queries and checks, the logs' restarts), from saved
// data: fitted to the width in terminal columns down to 40, hostile values shown escaped.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderDoctor } from '../../src/report/doctor.js';
import { renderTable } from '../../src/report/table.js';
import { renderCheckList, renderQueryList } from '../../src/report/text.js';
import type { DoctorReport, Report } from '../../src/report/types.js';
import { CHECKS } from '../../src/checks/index.js';
import { listQueries } from '../../src/commands/queries.js';
import { ON_CALL_PATH, ON_CALL_STEPS } from '../../src/oncall.js';

const tooWide = (text: string, width: number) => text.split('\n').filter((l) => stringWidth(l) > width);
// eslint-disable-next-line no-control-regex -- no raw control character but the line breaks
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;
const WIDE = '币安'.repeat(15);

const doctor: DoctorReport = {
  tool: 'ts-audit',
  version: '0.2.0',
  command: 'doctor',
  generatedAt: new Date(0),
  target: null,
  configFile: null,
  server: null,
  tables: [],
  checks: null,
  exitCode: 3,
  items: [
    { section: 'setup', name: 'database', status: 'ok', detail: 'postgres://ts_audit@db.internal/bot (from DATABASE_URL)' },
    {
      section: 'role',
      name: 'role \u001b[31mwrites',
      status: 'fail',
      detail: 'the role can write to trailing_stop_state\r: give ts-audit a read-only role\nand run doctor again',
      hint: ['CREATE ROLE ts_audit LOGIN;', 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO ts_audit;'],
    },
    { section: 'tables', name: WIDE, status: 'warn', detail: `${WIDE} is not a table of the bot` },
  ],
};

const counts = (restored: number, createdNew: number) => ({ restored, createdNew, failed: 2, timedOut: 1, deleted: 0 });
const logs: Report = {
  tool: 'ts-audit',
  version: '0.2.0',
  reportVersion: 1,
  command: 'logs',
  generatedAt: new Date(0),
  database: null,
  dump: null,
  summary: {
    openPositions: null,
    stopsInDb: null,
    stopsInMemory: null,
    matched: null,
    restart: null,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    byCheck: {},
  },
  findings: [],
  skipped: [],
  notes: [],
  details: {
    logs: {
      files: ['bot.log'],
      records: 12,
      firstAt: new Date('2025-10-26T09:00:00Z'),
      lastAt: new Date('2025-10-26T16:30:34Z'),
      logTimezone: 'Asia/Dubai',
      restartCount: 2,
      restartTotals: counts(12, 13),
      restarts: [
        { at: new Date('2025-10-26T09:05:01Z'), local: '2025-10-26 13:05:01,120', file: 'bot.log', line: 1, counts: counts(12, 0) },
        { at: new Date('2025-10-26T16:30:34Z'), local: '2025-10-26 20:30:34,973', file: 'bot.log', line: 9, counts: counts(123456, 13) },
      ],
      memory: [],
    },
  },
};
const tableText = (report: Report, width: number) => [...renderTable(report, { colorLevel: 0, width, failOn: 'high', runSeconds: 0 })].join('');

describe('doctor', () => {
  it('fits 40 and 80 columns with wide and hostile names, each hint under its item', () => {
    for (const width of [40, 80]) {
      const text = renderDoctor(doctor, width, 0);
      expect(tooWide(text, width), text).toEqual([]);
      expect(text).not.toMatch(RAW_CONTROL);
      expect(text).toContain('role \\x1b[31mwrites');
      expect(text).toContain('trailing_stop_state\\r');
      // The hint follows the item it belongs to, before the next item.
      const lines = text.split('\n');
      const fail = lines.findIndex((l) => l.includes('fail  role'));
      const grant = lines.findIndex((l) => l.includes('CREATE ROLE ts_audit LOGIN;'));
      expect(grant).toBeGreaterThan(fail);
      expect(lines.slice(fail + 1, grant).some((l) => /^ {2}(ok|warn|fail) /.test(l))).toBe(false);
    }
    // A name is cut at 40 terminal columns (20 wide characters), not 40 characters.
    expect(renderDoctor(doctor, 200, 0)).toContain(`${'币安'.repeat(9)}币…`);
  });

  it('closes with the on-call path, as in the help at 80 columns; narrower, each command whole or broken as the shell reads it', () => {
    const fine: DoctorReport = { ...doctor, exitCode: 0, items: doctor.items.filter((i) => i.status !== 'fail') };
    expect(renderDoctor(fine, 80, 0)).toContain(`\n${ON_CALL_PATH.join('\n')}\n`);
    const narrow = renderDoctor(fine, 40, 0);
    expect(tooWide(narrow, 40), narrow).toEqual([]);
    const path = narrow.slice(narrow.indexOf('On call, in this order:'));
    // A line ending in a backslash continues the command on the next: joined, each command is as written.
    const joined = path.replace(/ \\\n +/g, ' ');
    for (const [i, s] of ON_CALL_STEPS.entries()) {
      expect(joined).toContain(s.shell ? `  ${i + 1}. ${s.command.split(' ')[0]}` : `  ${i + 1}. ${s.command}\n`);
      if (s.shell) expect(joined).toContain(`     ${s.shell}\n`);
    }
    expect(path.replace(/\n +/g, ' ')).toContain('the stops memory holds that the table lacks');
  });
});

describe('the logs restarts table', () => {
  it('fits 40 columns by leaving out the time as logged and the rarer losses first, and says so', () => {
    const wide = tableText(logs, 120);
    expect(wide).toMatch(/restart \(UTC\) +as logged \(Asia\/Dubai\) +restored +created new +failed +timed out +deleted/);
    expect(wide).toMatch(/2025-10-26 16:30:34 UTC +2025-10-26 20:30:34,973 +123456 +13 +2 +1 +0/);
    const narrow = tableText(logs, 40);
    const restarts = narrow.slice(narrow.indexOf('Restarts'), narrow.indexOf('\n\n', narrow.indexOf('Restarts')));
    expect(tooWide(restarts, 40), narrow).toEqual([]);
    expect(narrow).toMatch(/restart \(UTC\) +restored +created new\n/);
    expect(narrow.replace(/\n */g, ' ')).toContain('(as logged (Asia/Dubai), failed, timed out, deleted left out to fit 40 columns');
    // The restart's time wraps at its space: nothing of it is cut.
    expect(narrow).toMatch(/2025-10-26 +123456 +13\n16:30:34 UTC/);
  });
});

describe('queries and checks', () => {
  it('fit 40 columns, names and ids whole', () => {
    const queries = renderQueryList(listQueries(), 40);
    expect(tooWide(queries, 40), queries).toEqual([]);
    for (const q of listQueries().queries) expect(queries).toContain(q.name);
    const checks = renderCheckList(
      CHECKS.map((c) => ({ id: c.id, severities: c.severities, summary: c.summary })),
      40,
    );
    expect(tooWide(checks, 40), checks).toEqual([]);
    for (const c of CHECKS) expect(checks).toContain(c.id);
  });
});
