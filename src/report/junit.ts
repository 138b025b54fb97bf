// JUnit XML, as CI systems read it: one test case per check that ran, and one <failure> per finding
// at or above --fail-on. Findings below the threshold are listed in the case's <system-out>.
import { type FailOn, atOrAbove } from '../severity.js';
import type { Report } from './types.js';

const xml = (text: string) =>
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderJunit(report: Report, failOn: FailOn, runSeconds: number): string {
  const checks = Object.keys(report.summary.byCheck);
  const cases = checks.map((check) => {
    const findings = report.findings.filter((f) => f.check === check);
    const failing = findings.filter((f) => atOrAbove(f.severity, failOn));
    const passing = findings.filter((f) => !atOrAbove(f.severity, failOn));
    return { check, failing, passing };
  });
  const failures = cases.filter((c) => c.failing.length > 0).length;
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
  for (const c of cases) {
    lines.push(`    <testcase classname="ts-audit.${xml(report.command)}" name="${xml(c.check)}" time="0">`);
    for (const f of c.failing) {
      lines.push(
        `      <failure type="${f.severity}" message="${xml(`${f.severity} ${f.exchange} ${f.symbol}: ${f.message}`)}">${xml(JSON.stringify(f.evidence))}</failure>`,
      );
    }
    if (c.passing.length > 0) {
      lines.push(`      <system-out>${xml(c.passing.map((f) => `${f.severity} ${f.exchange} ${f.symbol}: ${f.message}`).join('\n'))}</system-out>`);
    }
    lines.push('    </testcase>');
  }
  for (const s of report.skipped) {
    lines.push(`    <testcase classname="ts-audit.${xml(report.command)}" name="${xml(s.check)}" time="0">`, `      <skipped message="${xml(s.reason)}"/>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
