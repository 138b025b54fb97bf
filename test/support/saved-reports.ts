// Reports saved from the real pipeline (test/fixtures/reports/<name>.json, written by
// `npm run reports:save`, held to what the pipeline produces by test/integration/saved-reports.test.ts),
// for the reporters' unit tests: no database, no spawn. The JSON is lossless: a Date is {"$date": ISO}
// and a Decimal {"$decimal": its digits at its scale}, so that what the reporters get back is the
// Report the pipeline built, with the types it had.
import { readFileSync } from 'node:fs';
import { Decimal } from '../../src/decimal.js';
import type { IncidentReport, Report } from '../../src/report/types.js';

export const SAVED_REPORTS = new URL('../fixtures/reports/', import.meta.url);

/**
 * The saved reports, by what each stands for: every severity, uncertain findings, skipped checks, a
 * hostile symbol, all clear, and the commands with tables of their own.
 */
export const SAVED = [
  // check on every failure mode of the fixtures: findings at critical, high, medium and low.
  'check-failure-modes',
  // diff of the incident's 14-stop dump: the headline report, 13 stops only in memory.
  'diff-incident',
  // diff --from-events --as-of on the event journal: uncertain findings and the notes that explain them.
  'diff-journal',
  // check on the incident-era schema: checks skipped for a missing column, a partial report that says so.
  'check-incident-era',
  // check on a database with nothing wrong: no finding, and nothing skipped.
  'check-all-clear',
  // diff of stops whose symbols are markup, links, control characters and a line break.
  'diff-hostile',
  // restore of the incident: every open position's outcome on a restart.
  'restore-incident',
  // timestamps of the incident after its restart: the lag table in two zones and the burst.
  'timestamps-incident',
  // logs of the incident: no database, the restarts and the save failures.
  'logs-incident',
] as const;
export type SavedName = (typeof SAVED)[number];

/** The saved incident reports (`ts-audit report`), by what each stands for. */
export const SAVED_INCIDENTS = [
  // The incident after its restart, with its logs, in the bot's zone: the report's every section and cause.
  'report-incident',
  // A replay of the event journal as of the end of a session, with that day's log: sessions, the as-of
  // moment, uncertain findings and the journal's losses.
  'report-journal',
  // A dump whose symbols are markup, links, control characters and a line break, under a hostile title.
  'report-hostile',
] as const;
export type SavedIncidentName = (typeof SAVED_INCIDENTS)[number];

/**
 * The symbols of diff-hostile: markup, a line break and a code fence, a link, a table's and Markdown's
 * syntax, control characters, a bidirectional override, and a workflow command's separators.
 */
export const HOSTILE = [
  '<script>x</script>',
  '<img onerror=x>',
  'S\n```\n[l](//e.co)',
  'https://e.co',
  'A|B*C_D`E',
  'ESC\u001b[2J\rCR',
  '\u202eRTL',
  'NO,ROW:USDT',
];

/** A decimal's digits at its scale ("0.19720000" stays so): Decimal.parse gives back the same value. */
function decimalDigits(d: Decimal): string {
  const negative = d.coefficient < 0n;
  const digits = (negative ? -d.coefficient : d.coefficient).toString().padStart(d.scale + 1, '0');
  const text = d.scale > 0 ? `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}` : digits;
  return negative ? `-${text}` : text;
}

// `this[key]` is the value before its toJSON (a Date's ISO text, a Decimal's shortest form).
function tag(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return { $date: Number.isNaN(raw.getTime()) ? null : raw.toISOString() };
  if (raw instanceof Decimal) return { $decimal: decimalDigits(raw) };
  return value;
}

function untag(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$date') {
      const iso = (value as { $date: string | null }).$date;
      return new Date(iso ?? Number.NaN);
    }
    if (keys.length === 1 && keys[0] === '$decimal') return Decimal.of((value as { $decimal: string }).$decimal);
  }
  return value;
}

/** A report with its findings (an iterable, spilled or not) as an array. */
const whole = (report: Report): Report => ({ ...report, findings: [...report.findings] });

/** The report as saved: findings as an array, Dates and Decimals tagged, indented, with a final newline. */
export function encodeReport(report: Report): string {
  return `${JSON.stringify(whole(report), tag, 2)}\n`;
}

/** A saved report's text back as the Report it was. */
export function decodeReport(text: string): Report {
  return JSON.parse(text, untag) as Report;
}

/** An incident report as saved: each of its reports' findings as an array, tagged as a report is. */
export function encodeIncident(incident: IncidentReport): string {
  const plain = { ...incident, main: whole(incident.main), timestamps: whole(incident.timestamps), restore: whole(incident.restore) };
  return `${JSON.stringify(plain, tag, 2)}\n`;
}

/** A saved incident report's text back as the IncidentReport it was. */
export function decodeIncident(text: string): IncidentReport {
  return JSON.parse(text, untag) as IncidentReport;
}

/** A saved report, as the pipeline built it. */
export function savedReport(name: SavedName): Report {
  return decodeReport(readFileSync(new URL(`${name}.json`, SAVED_REPORTS), 'utf8'));
}

/** A saved incident report, as the pipeline built it. */
export function savedIncident(name: SavedIncidentName): IncidentReport {
  return decodeIncident(readFileSync(new URL(`${name}.json`, SAVED_REPORTS), 'utf8'));
}
