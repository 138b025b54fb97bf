// JUnit XML, as CI systems read it: one test case per check that ran, and one <failure> per finding
// at or above --fail-on. Findings below the threshold are listed in the case's <system-out>.
import { type FailOn, atOrAbove } from '../severity.js';
import type { Report } from './types.js';

const xml = (text: string) =>
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function* renderJunit(report: Report, failOn: FailOn, runSeconds: number): Generator<string> {
  const checks = Object.keys(report.summary.byCheck);
  // One pass for the counts; then, per check with findings, one pass that writes them as it reads.
  const failingChecks = new Set<string>();
  for (const f of report.findings) if (atOrAbove(f.severity, failOn)) failingChecks.add(f.check);
  const failures = failingChecks.size;
  const cases = checks.map((check) => ({ check, findings: report.summary.byCheck[check] ?? 0 }));
  const tests = cases.length + report.skipped.length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ts-audit" tests="${tests}" failures="${failures}" errors="0" time="${runSeconds.toFixed(3)}">`,
    `  <testsuite name="ts-audit ${xml(report.command)}" tests="${tests}" failures="${failures}" errors="0" skipped="${report.skipped.length}" time="${runSeconds.toFixed(3)}" timestamp="${report.generatedAt.toISOString().replace(/\.\d+Z$/, '')}">`,
    '    <properties>',
    ...(report.database
      ? [
          `      <property name="database" value="${xml(report.database.target)}"/>`,
          `      <property name="snapshotAt" value="${report.database.snapshotAt.toISOString()}"/>`,
        ]
      : []),
    `      <property name="failOn" value="${failOn}"/>`,
    '    </properties>',
  ];
  yield `${lines.join('\n')}\n`;
  lines.length = 0;
  for (const c of cases) {
    yield `    <testcase classname="ts-audit.${xml(report.command)}" name="${xml(c.check)}" time="0">\n`;
    let passing = 0;
    for (const f of c.findings > 0 ? report.findings : []) {
      if (f.check !== c.check) continue;
      if (!atOrAbove(f.severity, failOn)) {
        passing += 1;
        continue;
      }
      yield `      <failure type="${f.severity}" message="${xml(`${f.severity} ${f.exchange} ${f.symbol}: ${f.message}`)}">${xml(JSON.stringify(f.evidence))}</failure>\n`;
    }
    if (passing > 0) {
      // The findings below --fail-on, one per line, in the case's output.
      let first = true;
      for (const f of report.findings) {
        if (f.check !== c.check || atOrAbove(f.severity, failOn)) continue;
        yield `${first ? '      <system-out>' : '\n'}${xml(`${f.severity} ${f.exchange} ${f.symbol}: ${f.message}`)}`;
        first = false;
      }
      yield '</system-out>\n';
    }
    yield '    </testcase>\n';
  }
  for (const s of report.skipped) {
    lines.push(`    <testcase classname="ts-audit.${xml(report.command)}" name="${xml(s.check)}" time="0">`, `      <skipped message="${xml(s.reason)}"/>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  yield `${lines.join('\n')}\n`;
}
