// The saved reports the reporters' unit tests render (test/fixtures/reports/) are what the pipeline
// produces today: each is built here again, on its fixture database, and must equal the saved file
// (after the few values that differ from run to run: the database's URL and version, the snapshot's
// time, temporary paths). `npm run reports:save` writes them instead of comparing. The saved text read
// back must render exactly as the report the pipeline built, in every format: the encoding loses nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDbCommand } from '../../src/commands/db-commands.js';
import { runDiff } from '../../src/commands/diff.js';
import { runLogs } from '../../src/commands/logs.js';
import { type ReportOptions, runIncidentReport } from '../../src/commands/report.js';
import { renderIncident, renderIncidentJson } from '../../src/report/incident.js';
import { REPORTERS } from '../../src/report/index.js';
import type { IncidentReport, Report } from '../../src/report/types.js';
import { ROOT } from '../support/cli.js';
import { INCIDENT_DUMP, type ScenarioDb, type Variant, createScenario, fixture, withClient } from '../support/db.js';
import { stopsDump } from '../support/dumps.js';
import { writeIncidentLogs, writeJournalSessionLog } from '../support/logs.js';
import { auditOptions, diffOptions } from '../support/options.js';
import {
  HOSTILE,
  SAVED,
  SAVED_INCIDENTS,
  SAVED_REPORTS,
  type SavedIncidentName,
  type SavedName,
  decodeIncident,
  decodeReport,
  encodeIncident,
  encodeReport,
} from '../support/saved-reports.js';

const SAVE = process.env.TS_AUDIT_SAVE_REPORTS === '1';
const INCIDENT_NOW = new Date('2025-10-26T16:40:00Z');
const JOURNAL_NOW = new Date('2026-03-02T00:00:00Z');

// The incident after its restart: the 13 lost stops recreated at 16:30:34 UTC, hours after their positions.
const RECREATED = `INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price,
    entry_price, side, quantity, created_at)
  SELECT p.symbol, p.exchange, p.id, 'inactive', false, 999999, 999999, p.entry_price, p.side, p.quantity, timestamptz '2025-10-26 16:30:34.9+00'
  FROM monitoring.positions p WHERE p.status = 'active' AND p.symbol <> 'DOGUSDT'`;

const dbs: ScenarioDb[] = [];
async function scenario(variant: Variant, ...data: string[]): Promise<string> {
  const db = await createScenario(variant, ...data);
  dbs.push(db);
  return db.url;
}
afterAll(async () => Promise.all(dbs.map((db) => db.drop())));

const at = (now: Date) => ({ env: {}, now: () => now });
const NOW: Record<SavedName, Date> = {
  'check-failure-modes': INCIDENT_NOW,
  'diff-incident': INCIDENT_NOW,
  'diff-journal': JOURNAL_NOW,
  'check-incident-era': INCIDENT_NOW,
  'check-all-clear': INCIDENT_NOW,
  'diff-hostile': INCIDENT_NOW,
  'restore-incident': INCIDENT_NOW,
  'timestamps-incident': INCIDENT_NOW,
  'logs-incident': INCIDENT_NOW,
};

/** Open positions whose symbols are the hostile ones, and a dump of their stops: half activated in memory (critical), half waiting (high). */
async function hostileScenario(): Promise<{ url: string; dump: string }> {
  const url = await scenario('tz');
  await withClient(url, async (c) => {
    for (const [i, symbol] of HOSTILE.entries()) {
      await c.query(
        `INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at, updated_at, has_trailing_stop)
         VALUES ($1, $2, 'binance', 'long', 10, 1.5, 'active', '2025-10-26 09:05:12+00', '2025-10-26 09:05:12+00', '2025-10-26 16:20:00+00', true)`,
        [i + 1, symbol],
      );
    }
  });
  const dump = stopsDump(
    HOSTILE.map((symbol, i) => ({
      exchange: 'binance',
      symbol,
      side: 'long',
      state: i % 2 ? 'waiting' : 'active',
      is_activated: i % 2 === 0,
      entry_price: '1.5',
      highest_price: '1.6',
      quantity: '10',
      update_count: 3,
    })),
  );
  return { url, dump };
}

/** How each saved report is made: the real pipeline, on its fixture database. */
const MAKE: Record<SavedName, (now: Date) => Promise<Report>> = {
  'check-failure-modes': async (now) => runDbCommand('check', auditOptions(await scenario('tz', fixture('failure-modes.sql'))), at(now)),
  'diff-incident': async (now) => runDiff(diffOptions(await scenario('naive', fixture('incident.sql')), INCIDENT_DUMP), at(now)),
  'diff-journal': async (now) =>
    runDiff(
      { ...diffOptions(await scenario('current', fixture('journal.sql')), ''), dump: undefined, fromEvents: true, asOf: new Date('2026-03-01T11:30:00Z') },
      at(now),
    ),
  'check-incident-era': async (now) => runDbCommand('check', auditOptions(await scenario('incident-era', fixture('incident.sql'))), at(now)),
  'check-all-clear': async (now) => runDbCommand('check', auditOptions(await scenario('tz')), at(now)),
  'diff-hostile': async (now) => {
    const { url, dump } = await hostileScenario();
    return runDiff(diffOptions(url, dump), at(now));
  },
  'restore-incident': async (now) => runDbCommand('restore', auditOptions(await scenario('naive', fixture('incident.sql'))), at(now)),
  'timestamps-incident': async (now) =>
    runDbCommand('timestamps', { ...auditOptions(await scenario('naive', fixture('incident.sql'), RECREATED)), displayTimezone: 'Asia/Dubai' }, at(now)),
  'logs-incident': async (now) => runLogs({ files: writeIncidentLogs().files, logTimezone: 'Asia/Dubai', disabled: [], severity: {} }, at(now)),
};

/**
 * The report with what differs from run to run replaced: the server's URL and version, the snapshot's
 * time (and so the report's, which is never before it), the version, temporary paths.
 */
function settled(report: Report, now: Date): Report {
  // A file of the repository by its path in it; a temporary one by its name (a dump's is numbered by the run).
  const path = (p: string, temporary: string) => (p.startsWith(ROOT) ? p.slice(ROOT.length) : temporary || basename(p));
  return {
    ...report,
    version: '0.0.0-saved',
    generatedAt: now,
    database: report.database && { ...report.database, target: 'postgresql://ts_audit@127.0.0.1:5432/fixture', serverVersion: '15.0', snapshotAt: now },
    dump: report.dump && { ...report.dump, source: path(report.dump.source, 'dump.json') },
    details: report.details && {
      ...report.details,
      ...(report.details.logs ? { logs: { ...report.details.logs, files: report.details.logs.files.map((f) => path(f, '')) } } : {}),
    },
  };
}

/** Every format's output of a report, with fixed options. */
async function everyFormat(report: Report): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [format, reporter] of Object.entries(REPORTERS))
    out[format] = [...(await reporter(report, { colorLevel: 0, width: 100, failOn: 'high', runSeconds: 1.5, maxRows: 0 }))].join('');
  return out;
}

describe('the saved reports', () => {
  it.each(SAVED)('%s is what the pipeline produces, and renders as it does in every format', async (name) => {
    const live = await MAKE[name](NOW[name]);
    // Read back, the saved text renders exactly as the report the pipeline built: the encoding loses nothing.
    expect(await everyFormat(decodeReport(encodeReport(live)))).toEqual(await everyFormat(live));
    const logs = live.details?.logs?.files[0];
    // The log files' folder, wherever the file names appear (each restart names its file).
    const text = encodeReport(settled(live, NOW[name])).replaceAll(logs ? `${dirname(logs)}/` : '\u0000', '');
    const file = new URL(`${name}.json`, SAVED_REPORTS);
    if (SAVE) writeFileSync(file, text);
    expect(text, `${name}.json: run \`npm run reports:save\` if the change is intended`).toBe(readFileSync(file, 'utf8'));
    // The temporary paths and the server's URL do not reach the saved text.
    expect(text).not.toMatch(/ts_audit_[a-z_]+_[0-9a-f]{10}|ts-audit-(dumps|logs)-/);
  });
});

const reportOptions = (url: string, extra: Partial<ReportOptions>): ReportOptions => ({
  ...auditOptions(url),
  title: 'Trailing-stop incident report',
  displayTimezone: 'UTC',
  ...extra,
});
const noDump = { dumpTimeoutMs: 10_000, priceTolerance: diffOptions('', '').priceTolerance };

/** How each saved incident report is made: `ts-audit report`'s pipeline, on its fixture database. */
const MAKE_INCIDENT: Record<SavedIncidentName, { now: Date; make: (now: Date) => Promise<IncidentReport> }> = {
  'report-incident': {
    now: INCIDENT_NOW,
    make: async (now) =>
      runIncidentReport(
        reportOptions(await scenario('naive', fixture('incident.sql'), RECREATED), {
          title: 'TS restoration, 2025-10-26',
          displayTimezone: 'Asia/Dubai',
          logs: { files: writeIncidentLogs().files, logTimezone: 'Asia/Dubai' },
        }),
        at(now),
      ),
  },
  'report-journal': {
    now: JOURNAL_NOW,
    make: async (now) =>
      runIncidentReport(
        reportOptions(await scenario('current', fixture('journal.sql')), {
          asOf: new Date('2026-03-01T11:30:00Z'),
          diff: { ...noDump, fromEvents: true },
          logs: { files: [writeJournalSessionLog()], logTimezone: 'UTC' },
        }),
        at(now),
      ),
  },
  'report-hostile': {
    now: INCIDENT_NOW,
    make: async (now) => {
      const { url, dump } = await hostileScenario();
      return runIncidentReport(reportOptions(url, { title: 'Report <img onerror=x> evil.com\n# not a heading', diff: { ...noDump, dump } }), at(now));
    },
  },
};

/** An incident report with what differs from run to run replaced, in each of its parts as in a report. */
function settledIncident(incident: IncidentReport, now: Date): IncidentReport {
  const database = settled(incident.main, now).database!;
  return {
    ...incident,
    generatedAt: now,
    database,
    main: settled(incident.main, now),
    timestamps: settled(incident.timestamps, now),
    restore: settled(incident.restore, now),
    logs: incident.logs && { ...incident.logs, files: incident.logs.files.map((f) => basename(f)) },
    // The queries' durations, which the appendix shows, and their SQL cut to its first line (the query's
    // name and purpose): the appendix fences whatever it is given, and a saved report need not change
    // with every query's text.
    queries: incident.queries.map((q) => ({ ...q, sql: q.sql.slice(0, q.sql.indexOf('\n') + 1 || undefined), ms: 1.5 })),
    timeline: incident.timeline && { ...incident.timeline, generatedAt: now, database },
  };
}

/** What `ts-audit report` writes of an incident report: its Markdown with and without the appendix, and its JSON. */
const incidentOutputs = (r: IncidentReport) => ({ markdown: renderIncident(r), appendix: renderIncident(r, { appendix: true }), json: renderIncidentJson(r) });

describe('the saved incident reports', () => {
  it.each(SAVED_INCIDENTS)('%s is what the pipeline produces, and renders as it does', async (name) => {
    const { now, make } = MAKE_INCIDENT[name];
    const live = await make(now);
    // Read back, the saved text renders exactly as the report the pipeline built: the encoding loses nothing.
    expect(incidentOutputs(decodeIncident(encodeIncident(live)))).toEqual(incidentOutputs(live));
    const logs = live.logs?.files[0];
    // The log files' folder and the dump's path, wherever they appear (the actions name the dump).
    const text = encodeIncident(settledIncident(live, now))
      .replaceAll(logs ? `${dirname(logs)}/` : '\u0000', '')
      .replaceAll(live.main.dump?.source ?? '\u0000', 'dump.json');
    const file = new URL(`${name}.json`, SAVED_REPORTS);
    if (SAVE) writeFileSync(file, text);
    expect(text, `${name}.json: run \`npm run reports:save\` if the change is intended`).toBe(readFileSync(file, 'utf8'));
    // The temporary paths and the server's URL do not reach the saved text.
    expect(text).not.toMatch(/ts_audit_[a-z_]+_[0-9a-f]{10}|ts-audit-(dumps|logs)-/);
  });
});
