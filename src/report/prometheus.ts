// Prometheus text exposition (version 0.0.4) of one run, for the node_exporter textfile collector or a
// scrape of `ts-audit watch --listen`.
import { findCheck } from '../checks/index.js';
import { SEVERITIES } from '../severity.js';
import type { Report } from './types.js';

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function* renderPrometheus(report: Report, runSeconds: number): Generator<string> {
  const { summary } = report;
  const out: string[] = [];
  const gauge = (name: string, help: string, samples: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) out.push(`${name}${labels} ${Number.isFinite(value) ? value : 'NaN'}`);
  };
  const command = `command="${label(report.command)}"`;
  // One pass over the findings for every count (a large run's findings are read from disk).
  const counts = new Map<string, number>();
  let mismatch = 0;
  for (const f of report.findings) {
    counts.set(`${f.check}\u0000${f.severity}`, (counts.get(`${f.check}\u0000${f.severity}`) ?? 0) + 1);
    if (findCheck(f.check)?.memoryMismatch) mismatch += 1;
  }
  const findings: [string, number][] = [];
  for (const check of Object.keys(summary.byCheck)) {
    for (const severity of SEVERITIES) {
      findings.push([`{${command},check="${label(check)}",severity="${severity}"}`, counts.get(`${check}\u0000${severity}`) ?? 0]);
    }
  }
  gauge('ts_audit_findings', 'Findings of the last run, by check and severity.', findings);
  gauge('ts_audit_findings_uncertain', 'Findings of the last run that are uncertain (something they rest on could not be seen).', [
    [`{${command}}`, summary.uncertain ?? 0],
  ]);
  if (report.skipped.length > 0) {
    gauge(
      'ts_audit_check_skipped',
      'Checks that could not run on this database (1 each): a column they need is missing.',
      report.skipped.map((s) => [`{${command},check="${label(s.check)}"}`, 1]),
    );
  }
  if (summary.stopsInMemory !== null) {
    gauge('ts_audit_stops_in_memory', 'Trailing stops in the state dump.', [[`{${command}}`, summary.stopsInMemory]]);
    gauge('ts_audit_memory_db_mismatch', 'Stops in memory without a row plus rows of open positions the bot does not hold.', [[`{${command}}`, mismatch]]);
  }
  if (summary.stopsInDb !== null) gauge('ts_audit_stops_in_db', 'Rows in trailing_stop_state.', [[`{${command}}`, summary.stopsInDb]]);
  if (summary.openPositions !== null) gauge('ts_audit_open_positions', 'Open positions.', [[`{${command}}`, summary.openPositions]]);
  // 0 of 0 has no ratio: the series is left out rather than reading as 100%.
  const ratio = summary.restart && summary.restart.openPositions > 0 ? summary.restart.restored / summary.restart.openPositions : undefined;
  if (ratio !== undefined) {
    gauge('ts_audit_restoration_ratio', 'Share of open positions whose stop a restart would restore (restore simulation; logs: the last restart).', [
      [`{${command}}`, Number(ratio.toFixed(6))],
    ]);
  }
  gauge('ts_audit_last_run_timestamp_seconds', 'When the last run finished, in Unix seconds.', [
    [`{${command}}`, Math.floor(report.generatedAt.getTime() / 1000)],
  ]);
  gauge('ts_audit_run_duration_seconds', 'How long the last run took.', [[`{${command}}`, Number(runSeconds.toFixed(3))]]);
  yield `${out.join('\n')}\n`;
}
